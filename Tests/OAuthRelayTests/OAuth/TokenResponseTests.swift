import Foundation
import Testing

@testable import OAuthRelay

private let now = Date(timeIntervalSince1970: 1_700_000_000)

private func parse(_ json: String, previous: String? = nil, scope: String? = nil) throws -> TokenSet {
    try TokenResponse.parse(Data(json.utf8), now: now, previousRefreshToken: previous, requestedScope: scope)
}

@Suite("TokenResponse.parse (RFC 6749 §5.1)")
struct TokenResponseTests {
    @Test(
        "expires_in becomes an absolute expiry; unusable values mean unknown",
        arguments: [
            ("3600", 3600.0 as Double?),
            ("\"3600\"", 3600),
            ("\" 3600 \"", 3600),
            ("1", 1),
            ("0.5", 0.5),
            ("\"1e3\"", 1000),
            ("0", nil),
            ("\"0\"", nil),
            ("-5", nil),
            ("\"-5\"", nil),
            ("\"abc\"", nil),
            ("\"\"", nil),
            ("true", nil),
            ("false", nil),
            ("null", nil),
            ("\"NaN\"", nil),
            ("\"nan\"", nil),
            ("\"inf\"", nil),
            ("\"Infinity\"", nil),
            ("1.0", 1),
            ("1e3", 1000),
            ("[3600]", nil),
            ("{\"s\":3600}", nil),
        ])
    func expiresIn(raw: String, seconds: Double?) throws {
        let tokens = try parse("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":\(raw)}")
        #expect(tokens.expiresAt == seconds.map { now.addingTimeInterval($0) })
    }

    @Test(
        "an enormous expires_in is clamped to ten years, so every date derived from it is usable",
        arguments: ["1e300", "\"1e300\"", "9223372036854775807", "1e20"])
    func enormousExpiry(raw: String) throws {
        let tokens = try parse("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":\(raw)}")
        #expect(tokens.expiresAt == now.addingTimeInterval(TokenResponse.maximumLifetime))
    }

    @Test(
        "the device grant's interval stays within 1 s and 5 min, its lifetime within a day",
        arguments: [
            (nil as Double?, 5.0, 600.0), (0, 5, 600), (1e-300, 1, 1e-300), (0.2, 1, 0.2), (7, 7, 7),
            (1e300, 300, 86_400), (9e18, 300, 86_400),
        ])
    func deviceLimits(raw: Double?, interval: Double, lifetime: Double) {
        #expect(DeviceAuthorization.pollInterval(raw.map { .double($0) }) == interval)
        #expect(DeviceAuthorization.codeLifetime(raw.map { .double($0) }) == lifetime)
    }

    @Test("a missing expires_in means unknown")
    func missingExpiry() throws {
        #expect(try parse("{\"access_token\":\"at\",\"token_type\":\"Bearer\"}").expiresAt == nil)
    }

    @Test("a new refresh token replaces the previous one; none (or empty) keeps it")
    func refreshToken() throws {
        let bearer = "\"access_token\":\"at\",\"token_type\":\"Bearer\""
        #expect(try parse("{\(bearer),\"refresh_token\":\"new\"}", previous: "old").refreshToken == "new")
        #expect(try parse("{\(bearer)}", previous: "old").refreshToken == "old")
        #expect(try parse("{\(bearer),\"refresh_token\":\"\"}", previous: "old").refreshToken == "old")
        #expect(try parse("{\(bearer)}").refreshToken == nil)
    }

    @Test("the granted scope is the server's, else the requested one")
    func scope() throws {
        let bearer = "\"access_token\":\"at\",\"token_type\":\"Bearer\""
        #expect(try parse("{\(bearer),\"scope\":\"x y\"}", scope: "x").scope == "x y")
        #expect(try parse("{\(bearer)}", scope: "x").scope == "x")
    }

    @Test("token_type is matched case-insensitively and stored as Bearer", arguments: ["Bearer", "bearer", "BEARER"])
    func bearer(type: String) throws {
        #expect(try parse("{\"access_token\":\"a\",\"token_type\":\"\(type)\"}").tokenType == "Bearer")
    }

    @Test("token types other than Bearer are refused", arguments: ["DPoP", "mac", "N_A", ""])
    func otherTypes(type: String) {
        let error = #expect(throws: OAuthError.self) {
            try parse("{\"access_token\":\"a\",\"token_type\":\"\(type)\"}")
        }
        #expect(error?.code == .tokenEndpoint)
        #expect(error?.message.contains("Bearer") == true)
    }

    @Test(
        "bodies without a usable access_token are refused",
        arguments: [
            "{\"token_type\":\"Bearer\"}", "{\"access_token\":\"\",\"token_type\":\"Bearer\"}",
            "{\"access_token\":42,\"token_type\":\"Bearer\"}", "{\"access_token\":null}",
            "[]", "\"at\"", "<html>oops</html>", "",
        ])
    func noAccessToken(body: String) {
        let error = #expect(throws: OAuthError.self) { try parse(body) }
        #expect(error?.code == .tokenEndpoint)
    }

    @Test("an 8 KiB access token survives unchanged")
    func longToken() throws {
        let token = (0..<8192).map { index in
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
            return String(alphabet[index % alphabet.count])
        }.joined()
        let tokens = try parse("{\"access_token\":\"\(token)\",\"token_type\":\"Bearer\",\"expires_in\":60}")
        #expect(tokens.accessToken.utf8.count == 8192)
        #expect(tokens.accessToken == token)
    }

    @Test("error bodies yield their code and description")
    func errorBody() throws {
        let error = try #require(
            TokenResponse.error(
                in: Data(
                    "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}".utf8)))
        #expect(error.code == "invalid_grant")
        #expect(error.description == "expired")
        #expect(TokenResponse.error(in: Data("{\"access_token\":\"a\"}".utf8)) == nil)
        #expect(TokenResponse.error(in: Data("not json".utf8)) == nil)
    }
}

@Suite("TokenSet")
struct TokenSetTests {
    @Test(
        "expires(within:) compares the expiry with now plus the margin",
        arguments: [
            (100.0 as Double?, 60.0, false),
            (60, 60, true),
            (59, 60, true),
            (0, 0, true),
            (-1, 0, true),
            (1, 0, false),
            (nil, 60, false),
            (nil, 1e9, false),
        ])
    func expiry(offset: Double?, margin: Double, expected: Bool) {
        let tokens = TokenSet(accessToken: "a", expiresAt: offset.map { now.addingTimeInterval($0) })
        #expect(tokens.expires(within: margin, of: now) == expected)
    }

    @Test("description never contains the access or refresh token")
    func redacted() {
        let tokens = TokenSet(
            accessToken: "secret-access-value", refreshToken: "secret-refresh-value", scope: "notes:read")
        for text in ["\(tokens)", String(reflecting: tokens), "\([tokens])"] {
            #expect(!text.contains("secret-access-value"))
            #expect(!text.contains("secret-refresh-value"))
        }
        #expect("\(tokens)".contains("notes:read"))
    }
}
