import Foundation
import JSONWebToken
import RelayCrypto
import Testing

@Suite("JWT verification (HS256, RFC 8725)")
struct JWTVerifierTests {
    static let secret = Array("a-secret-of-thirty-two-bytes-or-more!!".utf8)
    static let issuer = "http://127.0.0.1:9000"
    static let audience = "http://127.0.0.1:9000"
    static let now = Int(Date().timeIntervalSince1970)
    /// Verification happens at `now`, however long after it the test runs.
    static let instant = Date(timeIntervalSince1970: TimeInterval(now))

    static func claims(
        issuer: String = issuer, audience: [String] = [audience], expiresAt: Int = now + 300,
        notBefore: Int? = nil
    ) -> JWTClaims {
        JWTClaims(
            issuer: issuer, subject: "alice", audience: audience, expiresAt: expiresAt,
            notBefore: notBefore, issuedAt: now, jwtID: "id-1", scope: "notes:read", clientID: "oauth-relay")
    }

    static func sign(_ claims: JWTClaims, secret: [UInt8] = secret) throws -> String {
        try HS256Signer(secret: secret).sign(claims)
    }

    /// A token with a hand-made header and the given signature segment.
    static func forged(header: String, payload: JWTClaims = claims(), signature: String = "") throws -> String {
        let valid = try sign(payload).split(separator: ".")
        return Base64URL.encode(Array(header.utf8)) + "." + valid[1] + "." + signature
    }

    let verifier = try? JWTVerifier(secret: secret, issuer: issuer, audience: audience)

    @Test("a token signed with the right secret and claims is accepted")
    func accepts() throws {
        let verified = try #require(verifier).verify(try Self.sign(Self.claims()), now: Self.instant)
        #expect(verified.subject == "alice")
        #expect(verified.scopes == ["notes:read"])
    }

    @Test("aud as a list that contains the resource is accepted")
    func audienceList() throws {
        let token = try Self.sign(Self.claims(audience: ["https://other.test", Self.audience]))
        #expect(try #require(verifier).verify(token, now: Self.instant).audience.count == 2)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var token: @Sendable () throws -> String
        var code: JWTError.Code
        var testDescription: String { name }
    }

    static let rejected: [Case] = [
        Case(name: "expired", token: { try sign(claims(expiresAt: now - 120)) }, code: .expired),
        Case(name: "wrong issuer", token: { try sign(claims(issuer: "http://evil.test")) }, code: .wrongIssuer),
        Case(
            name: "wrong audience", token: { try sign(claims(audience: ["http://other.test"])) },
            code: .wrongAudience),
        Case(name: "nbf in the future", token: { try sign(claims(notBefore: now + 600)) }, code: .notYetValid),
        Case(
            name: "HS256 with the wrong secret",
            token: { try sign(claims(), secret: Array("another-secret-of-32-bytes-or-more!!".utf8)) },
            code: .invalidSignature),
        Case(
            name: "alg none", token: { try forged(header: #"{"alg":"none","typ":"JWT"}"#) },
            code: .unsupportedAlgorithm),
        Case(name: "alg NONE", token: { try forged(header: #"{"alg":"NONE"}"#) }, code: .unsupportedAlgorithm),
        Case(
            name: "alg RS256 (algorithm confusion)",
            token: { try forged(header: #"{"alg":"RS256"}"#, signature: "AAAA") },
            code: .unsupportedAlgorithm),
        Case(
            name: "header without alg", token: { try forged(header: #"{"typ":"JWT"}"#, signature: "AAAA") },
            code: .unsupportedAlgorithm),
        Case(name: "two segments", token: { "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0" }, code: .malformed),
        Case(name: "not base64url", token: { "!!!.???.***" }, code: .malformed),
        Case(name: "header is not JSON", token: { "bm90IGpzb24.e30.AAAA" }, code: .malformed),
        Case(name: "empty", token: { "" }, code: .malformed),
        Case(
            name: "missing exp", token: { try sign(JWTClaims(issuer: issuer, subject: "a", audience: [audience])) },
            code: .missingClaim("exp")),
    ]

    @Test("bad tokens are rejected with the rule they break", arguments: rejected)
    func rejects(_ testCase: Case) throws {
        let token = try testCase.token()
        #expect(throws: JWTError(testCase.code)) { try #require(verifier).verify(token, now: Self.instant) }
    }

    @Test("a tampered payload fails the signature check")
    func tampered() throws {
        let parts = try Self.sign(Self.claims()).split(separator: ".")
        var other = Self.claims()
        other.subject = "mallory"
        let otherPayload = try Self.sign(other).split(separator: ".")[1]
        let token = [parts[0], otherPayload, parts[2]].joined(separator: ".")
        #expect(throws: JWTError(.invalidSignature)) { try #require(verifier).verify(token, now: Self.instant) }
    }

    @Test("exp within the leeway is still accepted")
    func leeway() throws {
        let token = try Self.sign(Self.claims(expiresAt: Self.now - 5))
        #expect(try #require(verifier).verify(token, now: Self.instant).subject == "alice")
    }

    @Test("an empty secret is refused")
    func emptySecret() {
        #expect(throws: JWTError(.invalidKey)) { try HS256Signer(secret: []) }
    }
}
