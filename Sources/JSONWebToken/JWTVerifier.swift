import Foundation
import RelayCrypto

/// Verifies HS256 access tokens the way a resource server should (RFC 8725, RFC 9068 §4).
///
/// The checks, in order: shape and size; header algorithm from an allow-list of exactly
/// `HS256` (so `none`, `NONE` and public-key algorithms are refused before any key is used);
/// the signature, compared in constant time; then `iss` (exact match), `aud` (string or list
/// containing the expected audience), `exp` (required), `nbf` and `iat`, each with a small leeway
/// for clock skew. Lift this type into a backend as it is: it has no other dependencies than
/// HMAC-SHA256, base64url and a constant-time comparison.
public struct JWTVerifier: Sendable {
    /// Tokens longer than this are refused without parsing.
    public static let maxTokenLength = 64 * 1024

    private let signer: HS256Signer
    /// The exact `iss` value required; nil skips the check (only for tests of other rules).
    public var issuer: String?
    /// The audience that `aud` must contain; nil skips the check.
    public var audience: String?
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
    public var leeway: Int

    public init(secret: [UInt8], issuer: String?, audience: String?, leeway: Int = 30) throws(JWTError) {
        self.signer = try HS256Signer(secret: secret)
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// Returns the claims of a valid token.
    /// - Parameter now: the current time, injectable for tests.
    /// - Throws: `JWTError` naming the first rule the token breaks.
    public func verify(_ token: String, now: Date = Date()) throws(JWTError) -> JWTClaims {
        guard token.utf8.count <= Self.maxTokenLength else { throw JWTError(.malformed) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { throw JWTError(.malformed) }

        guard let headerBytes = Base64URL.decode(parts[0]),
            let header = JSONValue.parseObject(headerBytes)
        else { throw JWTError(.malformed) }
        try checkHeader(header)

        // Checked after the header so an unsigned `alg: none` token is reported as such.
        guard let signature = Base64URL.decode(parts[2]), !signature.isEmpty else {
            throw JWTError(.invalidSignature)
        }
        let signingInput = token[..<parts[2].startIndex].dropLast()  // "header.payload"
        let expected: [UInt8]
        do {
            expected = try signer.mac(signingInput)
        } catch {
            throw JWTError(.invalidSignature)
        }
        guard ConstantTime.equals(signature, expected) else { throw JWTError(.invalidSignature) }

        guard let payloadBytes = Base64URL.decode(parts[1]),
            let payload = JSONValue.parseObject(payloadBytes)
        else { throw JWTError(.malformed) }
        let claims = try JWTClaims(jsonObject: payload)
        try checkClaims(claims, now: Int(now.timeIntervalSince1970))
        return claims
    }

    private func checkHeader(_ header: [String: JSONValue]) throws(JWTError) {
        // Exact, case-sensitive match: "none", "NONE", "HS512", "RS256" … are all refused.
        guard header["alg"] == .string("HS256") else { throw JWTError(.unsupportedAlgorithm) }
        if header["crit"] != nil { throw JWTError(.unsupportedHeader) }
        if let type = header["typ"] {
            let accepted = ["jwt", "at+jwt", "application/jwt", "application/at+jwt"]
            guard let text = type.stringValue, accepted.contains(text.lowercased()) else {
                throw JWTError(.malformed)
            }
        }
    }

    private func checkClaims(_ claims: JWTClaims, now: Int) throws(JWTError) {
        if let issuer {
            guard let actual = claims.issuer else { throw JWTError(.missingClaim("iss")) }
            guard actual == issuer else { throw JWTError(.wrongIssuer) }
        }
        if let audience {
            guard !claims.audience.isEmpty else { throw JWTError(.missingClaim("aud")) }
            guard claims.audience.contains(audience) else { throw JWTError(.wrongAudience) }
        }
        guard let expiresAt = claims.expiresAt else { throw JWTError(.missingClaim("exp")) }
        guard now < expiresAt + leeway else { throw JWTError(.expired) }
        if let notBefore = claims.notBefore, notBefore > now + leeway {
            throw JWTError(.notYetValid)
        }
        if let issuedAt = claims.issuedAt, issuedAt > now + leeway {
            throw JWTError(.notYetValid)
        }
    }
}
