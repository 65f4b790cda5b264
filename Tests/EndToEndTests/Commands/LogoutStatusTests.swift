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

    @Test("after a server forgot the client, login registers again by itself; logout --all forgets registrations")
    func forgottenClient() async throws {
        let bed = try TestBed.fastDevice()
        let dynamic = ["RELAY_CLIENT_ID": ""]
        _ = try await bed.login(dynamic)
        #expect(try await bed.count("POST /register") == 1)
        try await bed.control("forget-clients")
        let again = try await bed.login(dynamic)
        #expect(again.stderr.contains("registering again"), "\(again.stderr)")
        #expect(try await bed.count("POST /register") == 2)

        // With no sign-in left, --all still forgets the stored registration, and needs no backend.
        let logout = try await CommandRun.run(["logout"], environment: bed.commandEnvironment(dynamic))
        #expect(logout.status == 0)
        let all = try await CommandRun.run(
            ["logout", "--all"], environment: bed.commandEnvironment(["RELAY_BACKEND_URL": ""]))
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stderr.contains("registrations are forgotten"), "\(all.stderr)")
        #expect(try bed.storedEntries() == nil, "the store is empty, so its file is gone")
        _ = try await bed.login(dynamic)
        #expect(try await bed.count("POST /register") == 3)
    }

    @Test("status needs no backend URL; a misspelled setting is named with the one it was meant to be")
    func statusWithoutBackend() async throws {
        let bed = try TestBed.fastDevice()
        _ = try await bed.login()
        let environment = bed.commandEnvironment(["RELAY_BACKEND_URL": "", "RELAY_LOGLEVEL": "debug"])
        let status = try await CommandRun.run(["status"], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("subject:       alice"))
        #expect(status.stderr.contains("RELAY_LOGLEVEL is not a setting"), "\(status.stderr)")
        #expect(status.stderr.contains("did you mean RELAY_LOG_LEVEL?"), "\(status.stderr)")
        let login = try await CommandRun.run(
            ["login", "--device"],
            environment: bed.commandEnvironment(["RELAY_BACKEND_URL": "", "RELAY_BACKEND_ULR": "x"]))
        #expect(login.status == 2)
        #expect(login.stderr.contains("RELAY_BACKEND_ULR is set: a typo?"), "\(login.stderr)")
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
