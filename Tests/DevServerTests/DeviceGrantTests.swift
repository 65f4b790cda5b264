import Foundation
import Testing

@Suite("Device authorization grant (RFC 8628)")
struct DeviceGrantTests {
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"

    func start(_ fixture: DevServerFixture) async throws -> (deviceCode: String, userCode: String) {
        let response = try await fixture.http.post(
            fixture.base + "/device_authorization",
            form: [("client_id", "oauth-relay")])
        #expect(response.status == 200)
        #expect(response.json["verification_uri"] as? String == fixture.base + "/device")
        return (
            try #require(response.json["device_code"] as? String),
            try #require(response.json["user_code"] as? String)
        )
    }

    func poll(_ fixture: DevServerFixture, _ deviceCode: String) async throws -> TestResponse {
        try await fixture.http.post(
            fixture.base + "/token",
            form: [
                ("grant_type", Self.grantType), ("device_code", deviceCode), ("client_id", "oauth-relay"),
            ])
    }

    @Test("pending, then slow_down when polled too fast, then tokens once the user approves")
    func pollingRules() async throws {
        // An interval of 4 seconds: two polls in a row fall within it however loaded the machine.
        let fixture = try DevServerFixture { $0.deviceInterval = 4 }
        let (deviceCode, userCode) = try await start(fixture)
        #expect(try await poll(fixture, deviceCode).error == "authorization_pending")
        #expect(try await poll(fixture, deviceCode).error == "slow_down")

        let page = try await fixture.http.get(fixture.base + "/device?user_code=\(userCode)")
        #expect(page.text.contains(#"name="user_code""#))
        let approve = try await fixture.http.post(
            fixture.base + "/device",
            form: [
                ("user_code", userCode.lowercased()), ("username", "dave"), ("decision", "approve"),
            ])
        #expect(approve.status == 200)

        // slow_down raised the interval from 4 to 9 seconds: polling again right away is still too
        // fast, and raises it to 14.
        #expect(try await poll(fixture, deviceCode).error == "slow_down", "the interval grew by 5 seconds")
        try await Task.sleep(for: .seconds(14.2))
        let tokens = try await poll(fixture, deviceCode)
        #expect(tokens.status == 200)
        let access = try #require(tokens.json["access_token"] as? String)
        #expect(try await fixture.callTool("whoami", token: access).text.contains("dave"))
    }

    @Test("a denied device code answers access_denied")
    func denied() async throws {
        let fixture = try DevServerFixture { $0.deviceInterval = 0 }
        let (deviceCode, userCode) = try await start(fixture)
        _ = try await fixture.http.post(
            fixture.base + "/device",
            form: [
                ("user_code", userCode), ("username", "dave"), ("decision", "deny"),
            ])
        #expect(try await poll(fixture, deviceCode).error == "access_denied")
    }

    @Test("an expired device code answers expired_token")
    func expired() async throws {
        let fixture = try DevServerFixture { $0.deviceCodeLifetime = 0 }
        let (deviceCode, _) = try await start(fixture)
        #expect(try await poll(fixture, deviceCode).error == "expired_token")
    }

    @Test("with automatic approval the second poll gets tokens")
    func autoApprove() async throws {
        let fixture = try DevServerFixture {
            $0.deviceInterval = 0
            $0.autoApproveUser = "erin"
        }
        let (deviceCode, _) = try await start(fixture)
        #expect(try await poll(fixture, deviceCode).error == "authorization_pending")
        #expect(try await poll(fixture, deviceCode).status == 200)
        #expect(try await poll(fixture, deviceCode).error == "invalid_grant", "a device code is single-use")
    }
}
