import Foundation
import Testing

@testable import OAuthRelay

/// `oauth-relay login --no-browser`: the pasted redirect URL is checked exactly as the loopback
/// listener checks a callback.
@Suite("Commands: login --no-browser", .serialized)
struct PasteBackLoginTests {
    @Test("a good redirect URL signs in")
    func goodURL() async throws {
        let bed = try TestBed()
        let (process, redirect) = try await Self.start(bed)
        try process.sendLine(redirect)
        #expect(try await process.finish(timeout: .seconds(20)) == 0, "\(process.stderr)")
        #expect(process.stderr.contains("Signed in to \(bed.server.issuer) as alice"))
        #expect(try await bed.tokenRequests(grantType: "authorization_code").count == 1)
        #expect(try bed.storedTokenValues().count == 2)
    }

    @Test("a URL with another state is ignored; nothing is exchanged or stored")
    func wrongState() async throws {
        let bed = try TestBed()
        let (process, redirect) = try await Self.start(bed)
        let forged = redirect.replacingOccurrences(
            of: #"state=[^&]+"#, with: "state=forged", options: .regularExpression)
        try process.sendLine(forged)
        #expect(try await process.finish(timeout: .seconds(20)) == 1)
        #expect(process.stderr.contains("does not carry this sign-in's state, so it was ignored"))
        #expect(try await bed.tokenRequests(grantType: "authorization_code").isEmpty)
        #expect(try bed.storedTokenValues().isEmpty)
    }

    @Test("error=access_denied with the right state ends with 'authorization denied'")
    func denied() async throws {
        let bed = try TestBed()
        try await bed.control("consent?decision=deny")
        let (process, redirect) = try await Self.start(bed)
        #expect(redirect.contains("error=access_denied"))
        try process.sendLine(redirect)
        #expect(try await process.finish(timeout: .seconds(20)) == 1)
        #expect(process.stderr.contains("authorization denied"), "\(process.stderr)")
        #expect(try bed.storedTokenValues().isEmpty)
    }

    /// Starts `login --no-browser`, reads the authorize URL it prints, and lets the dev server
    /// answer it (without following the redirect): returns the URL a browser would end on.
    static func start(_ bed: TestBed) async throws -> (RelayProcess, String) {
        // A long paste window, as a person would have: the test pastes whenever it gets to it.
        let process = try RelayProcess(
            environment: bed.commandEnvironment(["RELAY_AUTH_TIMEOUT": "600"]), arguments: ["login", "--no-browser"])
        var authorize: String?
        for _ in 0..<500 where authorize == nil {
            if let range = process.stderr.range(of: "sign in:\n\n  ") {
                let url = process.stderr[range.upperBound...].prefix { !$0.isWhitespace }
                if process.stderr[range.upperBound...].contains("\n") { authorize = String(url) }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let url = try #require(authorize, "no authorize URL:\n\(process.stderr)")
        let fetched = try runTool("curl", ["-s", "-o", "/dev/null", "-w", "%{redirect_url}", url])
        #expect(fetched.output.hasPrefix("http://127.0.0.1:"), "\(fetched.output)")
        return (process, fetched.output)
    }
}
