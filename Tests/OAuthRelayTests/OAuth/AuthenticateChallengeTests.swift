import Testing

@testable import OAuthRelay

@Suite("AuthenticateChallenge: WWW-Authenticate parsing (RFC 9110 §11.6.1)")
struct AuthenticateChallengeTests {
    private typealias Challenge = AuthenticateChallenge

    @Test(
        "the scheme is case-insensitive and parameter names are lower-cased",
        arguments: [
            "Bearer realm=\"api\"", "bearer realm=\"api\"", "BEARER REALM=\"api\"", "Bearer realm=api",
            "Bearer realm = \"api\"", "Bearer   realm=api  ,",
        ])
    func scheme(header: String) {
        #expect(Challenge.parse(header) == [Challenge(scheme: "bearer", parameters: ["realm": "api"])])
        #expect(Challenge.bearer(in: header)?.parameters["realm"] == "api")
    }

    @Test("quoted strings keep commas, equals signs and spaces, and unescape backslashes")
    func quoted() {
        let header =
            #"Bearer error="insufficient_scope", scope="notes:read notes:write", "#
            + #"error_description="a, b = \"c\" \\ d""#
        #expect(
            Challenge.parse(header) == [
                Challenge(
                    scheme: "bearer",
                    parameters: [
                        "error": "insufficient_scope", "scope": "notes:read notes:write",
                        "error_description": #"a, b = "c" \ d"#,
                    ])
            ])
    }

    @Test("several challenges in one header are all returned in order")
    func several() {
        let header = #"Basic realm="site", Bearer realm="api", error="invalid_token", DPoP algs="ES256""#
        #expect(
            Challenge.parse(header) == [
                Challenge(scheme: "basic", parameters: ["realm": "site"]),
                Challenge(scheme: "bearer", parameters: ["realm": "api", "error": "invalid_token"]),
                Challenge(scheme: "dpop", parameters: ["algs": "ES256"]),
            ])
        #expect(Challenge.bearer(in: header)?.parameters["error"] == "invalid_token")
    }

    @Test(
        "a token68 credential is not mistaken for a parameter or for another challenge",
        arguments: [
            "Basic abc==, Bearer error=\"invalid_token\"",
            "Negotiate YIIabc, Bearer error=\"invalid_token\"",
            "Negotiate a/b+c=, Bearer error=\"invalid_token\"",
        ])
    func token68(header: String) {
        let challenges = Challenge.parse(header)
        #expect(challenges.map(\.scheme) == [header.hasPrefix("Basic") ? "basic" : "negotiate", "bearer"])
        #expect(challenges.first?.parameters == [:])
        #expect(challenges.last?.parameters == ["error": "invalid_token"])
    }

    @Test("a scheme alone is a challenge without parameters")
    func bare() {
        #expect(Challenge.parse("Bearer") == [Challenge(scheme: "bearer", parameters: [:])])
        #expect(Challenge.parse("  Bearer  ,  ") == [Challenge(scheme: "bearer", parameters: [:])])
    }

    @Test(
        "junk yields nothing, or what was read before it, and never traps",
        arguments: [
            "", " ", ",,,", "=", "\"quoted\"", "Bearer realm=\"unterminated", "Bearer =x", "@@@", "Bearer realm=\"a\\",
        ])
    func junk(header: String) {
        let challenges = Challenge.parse(header)
        #expect(challenges.allSatisfy { $0.scheme == "bearer" })
        #expect(challenges.count <= 1)
    }

    @Test("no header or no Bearer challenge gives no Bearer challenge")
    func noBearer() {
        #expect(Challenge.bearer(in: nil) == nil)
        #expect(Challenge.bearer(in: "Basic realm=\"x\"") == nil)
    }
}
