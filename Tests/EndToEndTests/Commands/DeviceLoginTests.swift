import DevServer
import Foundation
import MicroHTTP
import Synchronization
import Testing

@testable import OAuthRelay

/// `oauth-relay login --device` (RFC 8628) as a subprocess against the dev server.
@Suite("Commands: login --device", .serialized)
struct DeviceLoginTests {
    @Test("authorization_pending, then approval: tokens stored, code and URL shown, no token shown")
    func pendingThenApproved() async throws {
        let bed = try TestBed.fastDevice()
        let run = try await bed.login()
        #expect(run.stderr.contains(bed.server.baseURL + "/device"), "\(run.stderr)")
        #expect(run.stderr.contains("/device?user_code="), "verification_uri_complete is shown")
        #expect(run.stderr.range(of: #"[B-Z]{4}-[B-Z]{4}"#, options: .regularExpression) != nil)
        #expect(run.stderr.contains("Signed in to \(bed.server.issuer) as alice"))

        let polls = try await bed.tokenRequests(grantType: "urn:ietf:params:oauth:grant-type:device_code")
        #expect(polls.count == 2, "one authorization_pending, then the tokens")
        let tokens = try bed.storedTokenValues()
        #expect(tokens.count == 2)
        for token in tokens { #expect(!run.output.contains(token)) }
    }

    @Test("access_denied stops with a clear message and exit status 1")
    func denied() async throws {
        let bed = try TestBed.fastDevice()
        try await bed.control("consent?decision=deny")
        let run = try await CommandRun.run(["login", "--device"], environment: bed.commandEnvironment())
        #expect(run.status == 1)
        #expect(run.stderr.contains("authorization denied"), "\(run.stderr)")
        #expect(try bed.storedTokenValues().isEmpty)
    }

    @Test("expired_token stops with a clear message and exit status 1")
    func expired() async throws {
        let bed = try TestBed.fastDevice { $0.deviceCodeLifetime = 2 }
        try await bed.control("consent?decision=page")
        let run = try await CommandRun.run(["login", "--device"], environment: bed.commandEnvironment())
        #expect(run.status == 1)
        #expect(run.stderr.contains("the code expired before the sign-in was approved"), "\(run.stderr)")
        #expect(try bed.storedTokenValues().isEmpty)
    }

    @Test("an absurd device code lifetime from the server is clamped, not a crash")
    func hugeCodeLifetime() async throws {
        let bed = try TestBed()
        let fake = try SlowDownServer(answers: [], codeLifetime: 1e300)
        let run = try await CommandRun.run(
            ["login", "--device"], environment: bed.commandEnvironment(["RELAY_AUTH_SERVER_URL": fake.issuer]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("The code expires in 1440 minutes."), "\(run.stderr)")
        #expect(fake.pollTimes().count == 1)
    }

    @Test("slow_down adds 5 seconds to the interval for good (intervals observed at the server)")
    func slowDown() async throws {
        let bed = try TestBed()
        let fake = try SlowDownServer(answers: ["authorization_pending", "slow_down", "authorization_pending"])
        let run = try await CommandRun.run(
            ["login", "--device"], environment: bed.commandEnvironment(["RELAY_AUTH_SERVER_URL": fake.issuer]))
        #expect(run.status == 0, "\(run.stderr)")
        let times = fake.pollTimes()
        try #require(times.count == 4, "pending, slow_down, pending, tokens")
        let gaps = zip(times.dropFirst(), times).map { $0.0.timeIntervalSince($0.1) }
        #expect(gaps[0] >= 0.9 && gaps[0] < 5.9, "before slow_down: the advertised 1 s, not 6 (\(gaps))")
        #expect(gaps[1] >= 5.9, "after slow_down: 1 + 5 s (\(gaps))")
        #expect(gaps[2] >= 5.9, "and it stays so (\(gaps))")
        #expect(try bed.storedTokenValues() == ["fake-access-token"])
    }
}

/// A device-grant server whose token endpoint gives scripted errors, then tokens, and records
/// when each poll arrived.
final class SlowDownServer: Sendable {
    private let server: HTTPServer
    private let times = Locked<[Date]>([])
    let issuer: String

    init(answers: [String], codeLifetime: Double = 120) throws {
        let base = Locked("")
        let times = self.times
        server = try HTTPServer { request in
            let issuer = base.withLock { $0 }
            switch request.path {
            case "/.well-known/oauth-authorization-server":
                return .json(
                    200,
                    [
                        "issuer": issuer, "authorization_endpoint": issuer + "/authorize",
                        "token_endpoint": issuer + "/token",
                        "device_authorization_endpoint": issuer + "/device_authorization",
                        "code_challenge_methods_supported": ["S256"],
                    ])
            case "/device_authorization":
                return .json(
                    200,
                    [
                        "device_code": "device-secret", "user_code": "WDJB-MJHT",
                        "verification_uri": issuer + "/device",
                        "expires_in": codeLifetime, "interval": 1,
                    ])
            case "/token":
                let index = times.withLock { times in
                    times.append(Date())
                    return times.count - 1
                }
                if index < answers.count { return .json(400, ["error": answers[index]]) }
                return .json(200, ["access_token": "fake-access-token", "token_type": "Bearer", "expires_in": 3600])
            default:
                return .text(404, "")
            }
        }
        issuer = server.baseURL
        base.withLock { $0 = server.baseURL }
    }

    deinit { server.stop() }

    func pollTimes() -> [Date] { times.withLock { $0 } }
}
