import Foundation
import Testing

@testable import OAuthRelay

/// The relay without a browser names the `oauth-relay login` command, and picks up what it stores.
@Suite("Commands: relay hint and pick-up", .serialized)
struct RelayHintTests {
    @Test("RELAY_BROWSER=none: the tool result names the command; its tokens are used by the next call")
    func hintThenPickUp() async throws {
        let bed = try TestBed.fastDevice()
        let relay = try await bed.startRelay(["RELAY_BROWSER": "none"])
        let first = try await relay.callTool("whoami", timeout: .seconds(10))
        #expect(first.isToolError)
        let text = first.toolText
        #expect(text.contains("login --device"), "\(text)")
        #expect(text.contains("RELAY_BACKEND_URL=\(bed.server.baseURL)"))
        #expect(text.contains("RELAY_TOKEN_STORE=plaintext"))
        #expect(try await bed.count("GET /authorize") == 0, "no browser flow was started")

        // Run exactly the command the relay named, in a shell, as a person would.
        let line = try #require(text.split(separator: "\n").last { $0.contains("login --device") })
        let run = try await CommandRun.run(
            ["-c", String(line)], environment: bed.commandEnvironment(),
            shell: true)
        #expect(run.status == 0, "\(run.stderr)")

        let second = try await relay.callTool("whoami")
        #expect(!second.isToolError, "\(second)")
        #expect(second.toolText.contains("alice"))
        _ = try await relay.finish()
    }

    @Test("no DISPLAY and no RELAY_BROWSER: the same hint, without waiting for the timeout")
    func noDisplay() async throws {
        let bed = try TestBed.fastDevice()
        var environment = bed.relayEnvironment()
        environment["RELAY_BROWSER"] = nil
        // An answer long before the 10-minute sign-in timeout shows the relay did not wait for it.
        environment["RELAY_AUTH_TIMEOUT"] = "600"
        let relay = try RelayProcess(environment: environment)
        _ = try await relay.initialize()
        let result = try await relay.callTool("whoami", timeout: .seconds(60))
        #expect(result.toolText.contains("no graphical session"), "\(result)")
        #expect(result.toolText.contains("login --device"))
        _ = try await relay.finish()
    }
}
