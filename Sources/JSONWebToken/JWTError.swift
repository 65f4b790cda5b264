/// Why a JSON Web Token was rejected.
///
/// The description names the rule that failed and never includes the token itself, so it is safe
/// to log and to put into an `error_description`.
public struct JWTError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The rule the token broke.
    public enum Code: Equatable, Sendable {
        /// Not three base64url segments of JSON objects, or a claim has the wrong type.
        case malformed
        /// The header names an algorithm outside the allow-list (for example `none` or `RS256`).
        case unsupportedAlgorithm
        /// The header carries a critical extension (`crit`) this verifier does not understand.
        case unsupportedHeader
        /// The signature does not match: a different secret, or the token was altered.
        case invalidSignature
        /// `exp` lies in the past (beyond the allowed clock skew).
        case expired
        /// `nbf` or `iat` lies in the future (beyond the allowed clock skew).
        case notYetValid
        /// `iss` is not exactly the expected issuer.
        case wrongIssuer
        /// `aud` does not contain the expected audience.
        case wrongAudience
        /// A claim the verifier requires is absent.
        case missingClaim(String)
        /// The signing secret is unusable (empty).
        case invalidKey
    }

    public let code: Code

    public init(_ code: Code) {
        self.code = code
    }

    public var description: String {
        switch code {
        case .malformed: "the token is not a well-formed JWT"
        case .unsupportedAlgorithm: "the token's signing algorithm is not accepted (only HS256 is)"
        case .unsupportedHeader: "the token has a critical header extension that is not supported"
        case .invalidSignature: "the token's signature is invalid"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .wrongIssuer: "the token was issued by a different authorization server"
        case .wrongAudience: "the token is not meant for this resource"
        case .missingClaim(let name): "the token has no \(name) claim"
        case .invalidKey: "the signing secret is empty"
        }
    }
}
