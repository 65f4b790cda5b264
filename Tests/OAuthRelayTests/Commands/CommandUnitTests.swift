import Foundation
import Testing

@testable import OAuthRelay

@Suite("Commands: authorization response check, options, hint, summary")
struct CommandUnitTests {
    static let issuer = "https://as.example.test"

    @Test(
        "One check for listener and paste-back",
        arguments: [
            ("state=s&code=c", AuthorizationResponse.Outcome.code("c")),
            ("state=wrong&code=c", .foreign),
            ("code=c", .foreign),
            ("state=s&state=s&code=c", .foreign),
            ("state=s", .missingCode),
            ("state=s&code=c&iss=https%3A%2F%2Fevil.test", .failed(OAuthError(.issuerMismatch, ""))),
            ("state=s&error=access_denied", .failed(OAuthError(.denied, ""))),
        ])
    func validate(query: String, expected: AuthorizationResponse.Outcome) {
        let outcome = AuthorizationResponse.validate(
            query: PasteBack.query(of: "http://127.0.0.1:1/callback?\(query)#x"), expectedState: "s",
            issuer: Self.issuer, requireIssuer: false)
        switch (outcome, expected) {
        case (.failed(let got), .failed(let want)): #expect(got.code == want.code)
        default: #expect(outcome == expected)
        }
    }

    @Test("iss is required when the server advertises it")
    func issuerRequired() {
        let outcome = AuthorizationResponse.validate(
            query: [("state", "s"), ("code", "c")], expectedState: "s", issuer: Self.issuer, requireIssuer: true)
        guard case .failed(let error) = outcome else { Issue.record("\(outcome)"); return }
        #expect(error.code == .issuerMismatch)
    }

    @Test("Options: unknown arguments and exclusive switches are usage errors")
    func options() throws {
        let parsed = try CommandOptions(["--device"], command: "login", allowed: ["--device", "--no-browser"])
        #expect(parsed.has("--device") && !parsed.help)
        #expect(throws: CommandOptions.UsageError.self) {
            try CommandOptions(["--bogus"], command: "login", allowed: ["--device"])
        }
        #expect(throws: CommandOptions.UsageError.self) {
            try CommandOptions(
                ["--device", "--no-browser"], command: "login", allowed: ["--device", "--no-browser"],
                exclusive: [["--device", "--no-browser"]])
        }
    }

    @Test(
        "Browser mode",
        arguments: [
            ([:], BrowserMode.headless), (["DISPLAY": ":0"], .open), (["WAYLAND_DISPLAY": "wayland-0"], .open),
            (["RELAY_BROWSER": "none", "DISPLAY": ":0"], .headless), (["RELAY_BROWSER": "manual"], .manual),
            (["RELAY_BROWSER": "firefox"], .open),
        ])
    func browserMode(settings: [String: String], expected: BrowserMode) throws {
        var all = settings
        all["RELAY_BACKEND_URL"] = "https://api.example.test"
        #expect(try RelayConfiguration(settings: all).browserMode == expected)
    }

    @Test("The hint names the command and settings, quoted, and never a passphrase")
    func hint() throws {
        let config = try configuration([
            "RELAY_TOKEN_STORE": "encrypted-file", "RELAY_TOKEN_PASSPHRASE_FILE": "/home/me/pass phrase",
            "RELAY_TOKEN_PASSPHRASE": "hunter2",
        ])
        let context = AuthorizationContext(
            metadata: try metadata(), clientID: "client-1", resource: "https://api.example.test", resourceScopes: nil)
        let text = SignInHint.message(configuration: config, context: context)
        #expect(text.contains("RELAY_TOKEN_PASSPHRASE_FILE='/home/me/pass phrase'"))
        #expect(text.contains("RELAY_CLIENT_ID=client-1"))
        #expect(text.contains("login --no-browser") || text.contains("login --device"))
        #expect(!text.contains("hunter2"))
        #expect(SignInHint.shellQuoted("a'b") == "'a'\\''b'")
    }

    @Test("Summary reads subject and scope from JWT claims without verifying, and keeps no token")
    func summary() {
        let payload = Data(#"{"sub":"alice","scope":"notes:read","exp":2000000000}"#.utf8)
        let token =
            "eyJhbGciOiJIUzI1NiJ9."
            + payload.base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_") + ".sig"
        let summary = TokenSummary(
            key: TokenKey(issuer: Self.issuer, clientID: "c", resource: ""), tokens: TokenSet(accessToken: token))
        #expect(summary.subject == "alice")
        #expect(summary.scopes == ["notes:read"])
        #expect(summary.expiresAt == Date(timeIntervalSince1970: 2_000_000_000))
        #expect(!"\(summary)".contains(token))
    }

    @Test("expiry in local time: both forms name the same instant as the date they show")
    func localTime() throws {
        let date = Date(timeIntervalSince1970: 1_780_000_000)
        let iso = TokenSummary.localTime(date, iso8601: true)
        #expect(try Date(iso, strategy: .iso8601) == date, "\(iso)")
        #expect(iso.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d/) != nil, "\(iso)")
        let shown = TokenSummary.localTime(date)
        #expect(shown.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/) != nil, "\(shown)")
        #expect(shown.prefix(19) == iso.prefix(19).replacing("T", with: " "))
    }
}
