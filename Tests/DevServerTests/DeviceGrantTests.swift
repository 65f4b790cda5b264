import Foundation
import Testing

@testable import DevServer

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

    @Test("over HTTP: pending, then slow_down when polled too fast, which approval does not lift")
    func pollingOverHTTP() async throws {
        // An interval of 10 minutes: the second poll falls within it however loaded the machine.
        let fixture = try DevServerFixture { $0.deviceInterval = 600 }
        let (deviceCode, userCode) = try await start(fixture)
        #expect(try await poll(fixture, deviceCode).error == "authorization_pending")
        let tooFast = try await poll(fixture, deviceCode)
        #expect(tooFast.error == "slow_down")
        #expect(tooFast.status == 400)

        let page = try await fixture.http.get(fixture.base + "/device?user_code=\(userCode)")
        #expect(page.text.contains(#"name="user_code""#))
        let approve = try await fixture.http.post(
            fixture.base + "/device",
            form: [
                ("user_code", userCode.lowercased()), ("username", "dave"), ("decision", "approve"),
            ])
        #expect(approve.status == 200)
        #expect(try await poll(fixture, deviceCode).error == "slow_down", "approval does not lift the interval")
    }

    @Test("RFC 8628 §3.5 at chosen times: each poll within the interval adds 5 seconds to it, for good")
    func pollingRules() throws {
        var state = GrantState()
        let (deviceCode, _) = try state.startDeviceAuthorization(
            clientID: "oauth-relay", scopes: [], resource: "http://127.0.0.1/mcp", lifetime: 600, interval: 4)
        let start = Date()
        func poll(after seconds: TimeInterval) -> String {
            do {
                let (_, user) = try state.pollDevice(
                    deviceCode, clientID: "oauth-relay", autoConsent: .page, now: start + seconds)
                return "tokens for \(user)"
            } catch {
                return error.code
            }
        }
        #expect(poll(after: 0) == "authorization_pending")
        #expect(poll(after: 3.9) == "slow_down", "within 4 s")
        #expect(state.deviceCodes[deviceCode]?.interval == 9)
        state.decideDevice(deviceCode, status: .approved(user: "dave"))
        #expect(poll(after: 12.8) == "slow_down", "8.9 s after the last poll, within 9 s")
        #expect(state.deviceCodes[deviceCode]?.interval == 14)
        #expect(poll(after: 26.8) == "tokens for dave", "14 s after the last poll")
        #expect(poll(after: 60) == "invalid_grant", "a device code is redeemed once")
        #expect(poll(after: 601) == "expired_token")
    }

    @Test("an approved device code redeems for tokens that the backend accepts")
    func redeemed() async throws {
        let fixture = try DevServerFixture { $0.deviceInterval = 0 }
        let (deviceCode, userCode) = try await start(fixture)
        #expect(try await poll(fixture, deviceCode).error == "authorization_pending")
        _ = try await fixture.http.post(
            fixture.base + "/device",
            form: [("user_code", userCode), ("username", "dave"), ("decision", "approve")])
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
