import RelayCrypto

/// The checks on an authorization response (RFC 6749 §4.1.2, RFC 9207, RFC 9700 §4.7), shared by
/// the loopback listener and the paste-back prompt so both apply exactly the same rules.
enum AuthorizationResponse {
    /// What a response means for the sign-in.
    enum Outcome: Sendable, Equatable {
        /// A code for this sign-in: exchange it.
        case code(String)
        /// A response for this sign-in that ends it with an error.
        case failed(OAuthError)
        /// Not a response for this sign-in (missing, repeated or wrong `state`): ignore it.
        case foreign
        /// The right state but no code and no error.
        case missingCode
    }

    /// Classifies a response from its query parameters.
    ///
    /// `state` must appear exactly once and equal the expected one (compared in constant time);
    /// only then are `iss`, `error` and `code` looked at, so a forged response changes nothing
    /// (CASES 12). `iss` must equal the issuer exactly, and is required when the server says it
    /// sends one.
    static func validate(
        query: [(name: String, value: String)], expectedState: String, issuer: String,
        requireIssuer: Bool
    ) -> Outcome {
        func values(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }
        let states = values("state")
        guard states.count == 1, ConstantTime.equals(states[0], expectedState) else { return .foreign }

        let issuerValues = values("iss")
        if let received = issuerValues.first, issuerValues.count > 1 || received != issuer {
            return .failed(
                OAuthError(
                    .issuerMismatch,
                    "the authorization response came from issuer \(received), not \(issuer); the code was "
                        + "discarded (possible mix-up attack, RFC 9207)"))
        }
        if issuerValues.isEmpty && requireIssuer {
            return .failed(
                OAuthError(
                    .issuerMismatch,
                    "the authorization response has no iss parameter although the server promises one "
                        + "(RFC 9207); the code was discarded"))
        }
        if let error = values("error").first {
            let detail = values("error_description").first.map { ": \($0)" } ?? ""
            if error == "access_denied" {
                return .failed(
                    OAuthError(
                        .denied,
                        "authorization denied: the sign-in was declined\(detail). Call the tool again to retry."))
            }
            return .failed(OAuthError(.callbackError, "the authorization server returned \(error)\(detail)"))
        }
        let codes = values("code")
        guard codes.count == 1, !codes[0].isEmpty else { return .missingCode }
        return .code(codes[0])
    }
}
