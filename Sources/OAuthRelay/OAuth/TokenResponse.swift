import FoundationEssentials

/// Turns a token endpoint response (RFC 6749 §5.1) into a `TokenSet` with an absolute expiry.
enum TokenResponse {
    /// Parses a successful response.
    /// - Parameters:
    ///   - previousRefreshToken: kept when the server returns no new refresh token.
    ///   - requestedScope: used as the granted scope when the server does not echo one.
    /// - Throws: `OAuthError(.tokenEndpoint)` when the body is not a usable token response.
    static func parse(
        _ body: Data, now: Date = Date(), previousRefreshToken: String? = nil,
        requestedScope: String? = nil
    ) throws -> TokenSet {
        guard let object = try? JSONValue(parsing: body), object.objectValue != nil else {
            throw OAuthError(.tokenEndpoint, "the token endpoint's answer is not a JSON object")
        }
        guard let accessToken = object["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw OAuthError(.tokenEndpoint, "the token endpoint's answer has no access_token")
        }
        let tokenType = object["token_type"]?.stringValue ?? "Bearer"
        guard tokenType.lowercased() == "bearer" else {
            throw OAuthError(
                .tokenEndpoint,
                "the token endpoint issued a \(tokenType) token; only Bearer tokens are supported")
        }
        let lifetime = expiresIn(object["expires_in"])
        let refresh = object["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return TokenSet(
            accessToken: accessToken,
            refreshToken: refresh ?? previousRefreshToken,
            expiresAt: lifetime.map { now.addingTimeInterval($0) },
            scope: object["scope"]?.stringValue ?? requestedScope,
            tokenType: "Bearer")
    }

    /// The longest lifetime believed: ten years. A server may send any number; larger ones are
    /// clamped so that every date, duration and integer derived from them stays representable
    /// (`1e300` once crashed `login --device` and left `status` without an expiry).
    static let maximumLifetime: TimeInterval = 10 * 365 * 86_400

    /// `expires_in` as seconds: a number or a numeric string. Missing, zero, negative, or not a
    /// finite number all mean "unknown" — the relay then relies on the backend's 401. Values over
    /// `maximumLifetime` are clamped to it.
    static func expiresIn(_ value: JSONValue?) -> TimeInterval? {
        let seconds: Double?
        switch value {
        case .number(let number)?: seconds = number.doubleValue
        case .string(let text)?: seconds = Double(text.trimmingWhitespace())
        default: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0 else { return nil }
        return min(seconds, maximumLifetime)
    }

    /// The `error` and `error_description` of an RFC 6749 §5.2 error body, if it has them.
    static func error(in body: Data) -> (code: String, description: String?)? {
        guard let object = try? JSONValue(parsing: body), let code = object["error"]?.stringValue else { return nil }
        return (code, object["error_description"]?.stringValue)
    }
}
