import Foundation
import RelayCrypto

/// Signs claims as a compact JWT with HMAC-SHA256 (RFC 7515, RFC 7518 §3.2).
public struct HS256Signer: Sendable {
    private let secret: [UInt8]

    /// - Parameter secret: the shared key; RFC 7518 §3.2 asks for at least 32 bytes.
    /// - Throws: `JWTError.Code.invalidKey` for an empty secret.
    public init(secret: [UInt8]) throws(JWTError) {
        guard !secret.isEmpty else { throw JWTError(.invalidKey) }
        self.secret = secret
    }

    /// Returns `header.payload.signature`.
    /// - Parameter type: the `typ` header; RFC 9068 names OAuth access tokens `at+jwt`.
    public func sign(_ claims: JWTClaims, type: String = "JWT") throws -> String {
        let header: [String: Any] = ["alg": "HS256", "typ": type]
        let signingInput =
            try Self.segment(header) + "." + Self.segment(claims.jsonObject())
        let signature = try Digest.hmacSHA256(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The HMAC-SHA256 of a signing input, for the verifier.
    func mac(_ signingInput: Substring) throws -> [UInt8] {
        try Digest.hmacSHA256(key: secret, message: Array(signingInput.utf8))
    }

    private static func segment(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Base64URL.encode(data)
    }
}
