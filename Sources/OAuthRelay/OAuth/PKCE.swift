import RelayCrypto

/// A PKCE verifier and its S256 challenge (RFC 7636). Lives in memory for one sign-in only.
struct PKCE: Sendable, CustomStringConvertible {
    let verifier: String
    let challenge: String
    let method = "S256"

    /// A fresh verifier from 32 random bytes: 43 base64url characters (RFC 7636 §4.1).
    init() throws {
        self.init(verifier: try SecureRandom.token(byteCount: 32))
    }

    /// The pair for a given verifier (used for the RFC's known-answer test).
    init(verifier: String) {
        self.verifier = verifier
        challenge = Base64URL.encode(Digest.sha256(verifier))
    }

    var description: String { "PKCE(S256, verifier: ***)" }
}
