import DevServer
import Foundation
import Testing

@testable import OAuthRelay

/// The authorization request and response rules: iss (RFC 9207), resource (RFC 8707), step-up,
/// registration failures, and long tokens (CASES 3, 5, 9, 13).
@Suite("OAuth requests and responses, end to end", .serialized)
struct AuthorizationResponseTests {
    @Test(
        "A wrong or missing iss in the callback stops the flow; the code is never sent",
        arguments: [
            ("wrong", "mix-up"), ("missing", "no iss parameter"),
        ])
    func issuerParameter(mode: String, message: String) async throws {
        let bed = try TestBed()
        try await bed.control("iss?mode=\(mode)")
        let relay = try await bed.startRelay()
        let result = try await relay.callTool("whoami")
        #expect(result.isToolError)
        #expect(result.toolText.contains(message), "\(result.toolText)")
        #expect(try await bed.tokenRequests(grantType: "authorization_code").isEmpty)
        _ = try await relay.finish()
    }

    @Test("The resource indicator goes out byte for byte on authorize, token and refresh (CASES 5)")
    func resourceIsByteIdentical() async throws {
        let resource = "https://api.example.test"
        let bed = try TestBed { $0.resource = resource }
        try await bed.control("token-lifetime?seconds=2")
        let relay = try await bed.startRelay(["RELAY_RESOURCE": resource])
        _ = try await relay.callTool("whoami")
        try await Task.sleep(for: .seconds(3))
        #expect(try await relay.callTool("whoami").toolText.contains("alice"))

        let sent = try await bed.requests(to: "/authorize") + bed.requests(to: "/token")
        #expect(sent.count >= 3)
        for request in sent {
            #expect(request["params"]?["resource"] == .string(resource), "\(request)")
        }
        _ = try await relay.finish()
    }

    @Test("RELAY_RESOURCE set empty leaves the parameter out everywhere")
    func resourceOmitted() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_RESOURCE": ""])
        #expect(try await relay.callTool("whoami").toolText.contains("alice"))
        for request in try await bed.requests(to: "/authorize") + bed.requests(to: "/token") {
            #expect(request["params"]?["resource"] == nil, "\(request)")
        }
        _ = try await relay.finish()
    }

    @Test("403 insufficient_scope: one new sign-in for the union of scopes, no refresh (CASES 9)")
    func stepUp() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_SCOPES": "notes:read"])
        #expect(try await relay.callTool("read_notes").isToolError == false)
        let result = try await relay.callTool("create_note", ["text": "needs write"])
        #expect(!result.isToolError, "\(result)")
        let scopes = try await bed.requests(to: "/authorize").compactMap { $0["params"]?["scope"]?.stringValue }
        #expect(scopes == ["notes:read", "notes:read notes:write"])
        #expect(try await bed.tokenRequests(grantType: "refresh_token").isEmpty)
        _ = try await relay.finish()
    }

    @Test("invalid_client: drop the registration, register once more, and never loop (CASES 3)")
    func invalidClientRegistersOnce() async throws {
        let bed = try TestBed()
        try await bed.control("token-lifetime?seconds=1")
        let environment = ["RELAY_CLIENT_ID": ""]
        let relay = try await bed.startRelay(environment)
        _ = try await relay.callTool("whoami")
        try await Task.sleep(for: .seconds(2))

        // The refresh is refused with invalid_client: one new registration, one sign-in.
        try await bed.control("fail?endpoint=token&status=401&count=1&error=invalid_client")
        #expect(try await relay.callTool("whoami").toolText.contains("alice"))
        #expect(try await bed.count("POST /register") == 2)

        // Refused every time: stop with a clear error after one more registration.
        try await Task.sleep(for: .seconds(2))
        try await bed.control("fail?endpoint=token&status=401&count=10&error=invalid_client")
        let failed = try await relay.callTool("whoami")
        #expect(failed.isToolError)
        #expect(failed.toolText.contains("invalid_client"), "\(failed.toolText)")
        #expect(try await bed.count("POST /register") == 3)
        _ = try await relay.finish()
    }

    @Test(
        "A server that forgot the registration: the stuck sign-in is noticed, one more registration mends it"
    )
    func forgottenRegistration() async throws {
        let bed = try TestBed()
        let environment = ["RELAY_CLIENT_ID": ""]
        let first = try await bed.startRelay(environment)
        #expect(try await first.callTool("whoami").toolText.contains("alice"))
        _ = try await first.finish()
        // The tokens go (the registration stays), and the server forgets every registered client.
        let logout = try await CommandRun.run(["logout"], environment: bed.commandEnvironment(environment))
        #expect(logout.status == 0, "\(logout.stderr)")
        try await bed.control("forget-clients")

        // The browser meets an error page for the old client and never comes back; after the
        // timeout the relay finds the client unknown, registers again and signs in.
        // The timeout bounds the stuck attempt and the one after it: short, but not tight.
        let second = try await bed.startRelay(environment.merging(["RELAY_AUTH_TIMEOUT": "5"]) { $1 })
        let result = try await second.callTool("whoami")
        #expect(!result.isToolError, "\(result)")
        #expect(result.toolText.contains("alice"))
        #expect(try await bed.count("POST /register") == 2)
        #expect(try await bed.count("GET /authorize") == 3)
        _ = try await second.finish()
    }

    @Test("An 8 KiB access token survives the token endpoint, the store and the header (CASES 13)")
    func longToken() async throws {
        let bed = try TestBed()
        try await bed.control("token-padding?bytes=6144")
        let relay = try await bed.startRelay()
        #expect(try await relay.callTool("whoami").toolText.contains("alice"))
        let _ = try await relay.finish()
        let stored = try #require(try bed.storedEntries()?.objectValue?.values.first?["tokens"])
        let token = try #require(stored["access_token"]?.stringValue)
        #expect(token.utf8.count >= 8192)

        // A new process reads it back from the store and the backend accepts it unchanged.
        let again = try await bed.startRelay()
        #expect(try await again.callTool("whoami").toolText.contains("alice"))
        #expect(try await bed.count("GET /authorize") == 1)
        _ = try await again.finish()
    }
}
