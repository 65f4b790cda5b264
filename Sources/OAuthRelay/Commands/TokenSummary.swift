import FoundationEssentials
import Glibc
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
        subject = claims?["sub"]?.stringValue
        let scope = tokens.scope ?? claims?["scope"]?.stringValue ?? ""
        scopes = scope.split(separator: " ").map(String.init)
        expiresAt = tokens.expiresAt ?? claims?["exp"]?.numberValue.map { Date(timeIntervalSince1970: $0) }
        hasRefreshToken = tokens.refreshToken != nil
    }

    /// The payload of a JWT (RFC 7519 §7.2 steps without any signature check), or nil when the
    /// token is not a JWT. Used only for display.
    static func claims(of token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[1]),
            let claims = try? JSONValue(parsing: bytes), claims.objectValue != nil
        else { return nil }
        return claims
    }

    /// Expiry in the local time zone, e.g. `2025-06-01 14:03:00 +0200`, or in ISO 8601 with the
    /// local offset (`2025-06-01T14:03:00+02:00`) for JSON.
    static func localTime(_ date: Date, iso8601: Bool = false) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return date.formatted(.iso8601) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, iso8601 ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &parts)
        let clock = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let offset = abs(parts.tm_gmtoff) / 60
        let hours = offset / 60 < 10 ? "0\(offset / 60)" : "\(offset / 60)"
        let minutes = offset % 60 < 10 ? "0\(offset % 60)" : "\(offset % 60)"
        let sign = parts.tm_gmtoff < 0 ? "-" : "+"
        return iso8601 ? "\(clock)\(sign)\(hours):\(minutes)" : "\(clock) \(sign)\(hours)\(minutes)"
    }
}
