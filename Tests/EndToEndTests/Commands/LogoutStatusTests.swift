import Foundation
import Testing

@testable import OAuthRelay

/// `oauth-relay logout` and `oauth-relay status` as subprocesses.
@Suite("Commands: logout and status", .serialized)
struct LogoutStatusTests {
    @Test("logout revokes the refresh token, then the access token, and deletes the entry")
    func logoutRevokes() async throws {
        let bed = try TestBed.fastDevice()
        _ = try await bed.login()
        let run = try await CommandRun.run(["logout"], environment: bed.commandEnvironment())
        #expect(run.status == 0, "\(run.stderr)")
        let hints = try await bed.requests(to: "/revoke").map { $0["params"]?["token_type_hint"]?.stringValue }
        #expect(hints == ["refresh_token", "access_token"])
        #expect(try bed.storedTokenValues().isEmpty)
        #expect(run.stderr.contains("Revoked the refresh token"))
    }

    @Test("logout with the revocation endpoint down still deletes the local entry, and says so")
    func logoutRevocationDown() async throws {
        let bed = try TestBed.fastDevice()
        _ = try await bed.login()
        try await bed.control("fail?endpoint=revoke&status=503&count=2")
        let run = try await CommandRun.run(["logout"], environment: bed.commandEnvironment())
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Could not revoke the refresh token"), "\(run.stderr)")
        #expect(run.stderr.contains("HTTP 503"))
        #expect(run.stderr.contains("Deleted the stored sign-in"))
        #expect(try bed.storedTokenValues().isEmpty)
    }

    @Test("logout --all removes every entry; usage errors exit 2")
    func logoutAllAndUsage() async throws {
        let bed = try TestBed.fastDevice()
        _ = try await bed.login()
        _ = try await bed.login(["RELAY_RESOURCE": ""])
        #expect(try bed.storedTokenValues().count == 4)
        let all = try await CommandRun.run(["logout", "--all"], environment: bed.commandEnvironment())
        #expect(all.status == 0)
        #expect(try bed.storedTokenValues().isEmpty)
        let bad = try await CommandRun.run(["logout", "--everything"], environment: bed.commandEnvironment())
        #expect(bad.status == 2)
        let both = try await CommandRun.run(
            ["login", "--device", "--no-browser"], environment: bed.commandEnvironment())
        #expect(both.status == 2)
    }

    @Test("status and status --json describe the sign-in and never show a token")
    func statusShowsNoToken() async throws {
        let bed = try TestBed.fastDevice()
        _ = try await bed.login()
        let tokens = try bed.storedTokenValues()
        #expect(tokens.count == 2)
        let text = try await CommandRun.run(["status"], environment: bed.commandEnvironment())
        #expect(text.status == 0)
        #expect(text.stdout.contains("plaintext"))
        #expect(text.stdout.contains("subject:       alice"))
        #expect(text.stdout.contains("scopes:        notes:read notes:write"))
        let json = try await CommandRun.run(["status", "--json"], environment: bed.commandEnvironment())
        let document = try JSONValue(parsing: Data(json.stdout.utf8))
        let entry = try #require(document["entries"]?.arrayValue?.first)
        #expect(entry["subject"] == "alice")
        #expect(entry["issuer"]?.stringValue == bed.server.issuer)
        #expect(document["store"]?["backend"] == "plaintext")
        for run in [text, json] {
            for token in tokens {
                #expect(!run.output.contains(token))
                // Not even a piece of one (e.g. the signature part of a JWT).
                for part in token.split(separator: ".") where part.count > 20 {
                    #expect(!run.output.contains(part))
                }
            }
        }
    }
}
