import Foundation
import RelayCrypto

/// What `status` may show about stored tokens: never a token, only facts about them. Subject and
/// scopes come from the token response or the access token's JWT claims, read without verifying.
struct TokenSummary: Sendable, Equatable {
    var issuer: String
    var resource: String
    var clientID: String
    var subject: String?
    var scopes: [String]
    var expiresAt: Date?
    var hasRefreshToken: Bool

    init(key: TokenKey, tokens: TokenSet) {
        issuer = key.issuer
        resource = key.resource
        clientID = key.clientID
        let claims = Self.claims(of: tokens.accessToken)
        subject = claims?["sub"] as? String
        let scope = tokens.scope ?? (claims?["scope"] as? String) ?? ""
        scopes = scope.split(separator: " ").map(String.init)
        expiresAt =
            tokens.expiresAt
            ?? (claims?["exp"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
        hasRefreshToken = tokens.refreshToken != nil
    }

    /// The payload of a JWT (RFC 7519 §7.2 steps without any signature check), or nil when the
    /// token is not a JWT. Used only for display.
    static func claims(of token: String) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[1]) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    }

    /// Expiry in the local time zone, e.g. `2025-06-01 14:03:00 +0200`, or in ISO 8601 with the
    /// local offset (`2025-06-01T14:03:00+02:00`) for JSON.
    static func localTime(_ date: Date, iso8601: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = iso8601 ? "yyyy-MM-dd'T'HH:mm:ssxxx" : "yyyy-MM-dd HH:mm:ss ZZZ"
        return formatter.string(from: date)
    }
}
