import Foundation
import LoopbackSocket
import Testing

@testable import OAuthRelay

/// The seven reference flows of the brief, each against a real dev server and the real binary,
/// once in front of the REST form of the backend and once in front of its MCP endpoint.
@Suite("Reference flows, end to end", .serialized)
struct ReferenceFlowTests {
    @Test("A tool that needs no account works without any sign-in", arguments: BackendForm.allCases)
    func echoWithoutSignIn(form: BackendForm) async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(form: form)
        let result = try await relay.use("echo", ["message": "hello"])
        #expect(!result.failed)
        #expect(result.text.contains("hello"))
        #expect(try await bed.count("GET /authorize") == 0)
        #expect(try await relay.finish() == 0)
    }

    @Test("1. First use: sign-in in the browser, then the original call succeeds", arguments: BackendForm.allCases)
    func firstUseSignsIn(form: BackendForm) async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(form: form)
        let result = try await relay.use("whoami")
        #expect(!result.failed, "\(result)")
        #expect(result.text.contains("alice"))
        #expect(try await bed.count("GET /authorize") == 1)
        #expect(try await bed.tokenRequests(grantType: "authorization_code").count == 1)
        #expect(try bed.storedEntries() != nil, "tokens are stored")
        _ = try await relay.finish()
    }

    @Test("2. A valid stored token is forwarded directly, also by a new relay process", arguments: BackendForm.allCases)
    func validTokenForwarded(form: BackendForm) async throws {
        let bed = try TestBed()
        let first = try await bed.startRelay(form: form)
        _ = try await first.use("whoami")
        _ = try await first.finish()

        let second = try await bed.startRelay(form: form)
        let result = try await second.use("whoami")
        #expect(result.text.contains("alice"))
        #expect(try await bed.count("GET /authorize") == 1, "no second sign-in")
        #expect(try await bed.tokenRequests(grantType: "refresh_token").isEmpty)
        _ = try await second.finish()
    }

    @Test("3. Expired token, refresh succeeds: new tokens stored, call succeeds", arguments: BackendForm.allCases)
    func expiredTokenRefreshes(form: BackendForm) async throws {
        let bed = try TestBed()
        try await bed.control("token-lifetime?seconds=2")
        let relay = try await bed.startRelay(form: form)
        _ = try await relay.use("whoami")
        let before = try bed.storedEntries()
        try await Task.sleep(for: .seconds(3))

        let result = try await relay.use("whoami")
        #expect(result.text.contains("alice"))
        #expect(try await bed.tokenRequests(grantType: "refresh_token").count >= 1)
        #expect(try await bed.count("GET /authorize") == 1)
        #expect(try bed.storedEntries() != before, "the refreshed tokens are stored")
        _ = try await relay.finish()
    }

    @Test(
        "4. Expired token, refresh fails: stored tokens cleared, sign-in again, call succeeds",
        arguments: BackendForm.allCases)
    func failedRefreshSignsInAgain(form: BackendForm) async throws {
        let bed = try TestBed()
        try await bed.control("token-lifetime?seconds=2")
        let relay = try await bed.startRelay(form: form)
        _ = try await relay.use("whoami")
        try await bed.control("revoke-user?sub=alice")
        try await Task.sleep(for: .seconds(3))

        let result = try await relay.use("whoami")
        #expect(result.text.contains("alice"), "\(result)")
        #expect(try await bed.count("GET /authorize") == 2)
        _ = try await relay.finish()
    }

    @Test(
        "5. The backend rejects a token mid-session (401): sign in again and retry once",
        arguments: BackendForm.allCases)
    func midSessionRejection(form: BackendForm) async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(form: form)
        _ = try await relay.use("whoami")
        try await bed.control("revoke-user?sub=alice")

        let result = try await relay.use("whoami")
        #expect(!result.failed, "\(result)")
        #expect(result.text.contains("alice"))
        #expect(try await bed.count("GET /authorize") == 2)
        _ = try await relay.finish()
    }

    @Test("6. Sign-in times out: a clear error and nothing half-done left behind", arguments: BackendForm.allCases)
    func signInTimesOut(form: BackendForm) async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_BROWSER": "manual", "RELAY_AUTH_TIMEOUT": "1"], form: form)
        let result = try await relay.use("whoami")
        #expect(result.failed)
        #expect(result.text.contains("did not finish within 1 seconds"))
        #expect(try bed.storedEntries()?.objectValue?.isEmpty ?? true, "no tokens stored")

        // The callback listener is gone: its port no longer accepts connections.
        let port = try #require(Self.callbackPort(in: relay.stderr))
        try await Task.sleep(for: .milliseconds(400))
        #expect(!Self.canConnect(port: port))

        // A later call still answers (the relay is not stuck in a half-done flow).
        let echo = try await relay.use("echo", ["message": "still here"])
        #expect(echo.text.contains("still here"))
        _ = try await relay.finish()
    }

    @Test("7. The user denies consent: the call says authorization denied", arguments: BackendForm.allCases)
    func consentDenied(form: BackendForm) async throws {
        let bed = try TestBed()
        try await bed.control("consent?decision=deny")
        let relay = try await bed.startRelay(form: form)
        let result = try await relay.use("whoami")
        #expect(result.failed)
        #expect(result.text.lowercased().contains("authorization denied"))
        #expect(try bed.storedEntries()?.objectValue?.isEmpty ?? true)
        _ = try await relay.finish()
    }

    // MARK: - Helpers

    /// The callback port from the sign-in URL the relay logged.
    static func callbackPort(in log: String) -> UInt16? {
        guard let range = log.range(of: "redirect_uri=http%3A%2F%2F127.0.0.1%3A") else { return nil }
        let digits = log[range.upperBound...].prefix { $0.isNumber }
        return UInt16(digits)
    }

    static func canConnect(port: UInt16) -> Bool {
        let fd = connectToLoopback(port: port)
        defer { if fd >= 0 { close(fd) } }
        return fd >= 0
    }
}
