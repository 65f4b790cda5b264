import FoundationEssentials

/// Identifies one sign-in: the authorization server, the client and the protected resource.
public struct TokenKey: Hashable, Codable, Sendable, CustomStringConvertible {
    public var issuer: String
    public var clientID: String
    /// The resource indicator (RFC 8707) the tokens were issued for; empty when none was used.
    public var resource: String

    public init(issuer: String, clientID: String, resource: String) {
        self.issuer = issuer
        self.clientID = clientID
        self.resource = resource
    }

    /// One string that names the key, for file entries and logs (contains no secret).
    public var storageID: String { "\(issuer) \(clientID) \(resource)" }

    public var description: String {
        "issuer=\(issuer) client=\(clientID) resource=\(resource.isEmpty ? "(none)" : resource)"
    }
}

/// Tokens from one token response, with an absolute expiry.
///
/// `description` never shows a token: printing one by mistake must not leak it.
public struct TokenSet: Codable, Sendable, Equatable, CustomStringConvertible {
    public var accessToken: String
    public var refreshToken: String?
    /// Absolute expiry of the access token; nil when the server did not say (rely on a 401).
    public var expiresAt: Date?
    /// The granted scopes, space separated, when known.
    public var scope: String?
    public var tokenType: String

    public init(
        accessToken: String, refreshToken: String? = nil, expiresAt: Date? = nil,
        scope: String? = nil, tokenType: String = "Bearer"
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
        self.tokenType = tokenType
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case scope
        case tokenType = "token_type"
    }

    /// True when the access token expires within `margin` seconds of `now` (or already has).
    public func expires(within margin: TimeInterval, of now: Date = Date()) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) <= margin
    }

    public var description: String {
        let expiry = expiresAt.map { "\($0)" } ?? "unknown"
        return "TokenSet(access_token: ***, refresh_token: \(refreshToken == nil ? "none" : "***"), "
            + "expires_at: \(expiry), scope: \(scope ?? "none"))"
    }
}
