import RelayCrypto

/// Proof Key for Code Exchange checks (RFC 7636), S256 only.
enum PKCE {
    /// An S256 challenge is the base64url SHA-256 of the verifier: exactly 43 characters.
    static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && Base64URL.decode(challenge)?.count == 32
    }

    /// A verifier is 43–128 unreserved characters (RFC 7636 §4.1).
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count)
            && verifier.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "_"), UInt8(ascii: "~"):
                    true
                default: false
                }
            }
    }

    /// True when `verifier` hashes to `challenge`, compared in constant time.
    static func verify(_ verifier: String, against challenge: String) -> Bool {
        guard isValidVerifier(verifier) else { return false }
        return ConstantTime.equals(Base64URL.encode(Digest.sha256(verifier)), challenge)
    }
}
