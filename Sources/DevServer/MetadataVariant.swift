/// Ways the authorization server can misbehave on purpose, so clients can be tested against
/// the metadata and token responses real providers send.
public enum MetadataVariant: String, Sendable, CaseIterable {
    /// Everything as the RFCs say.
    case standard
    /// Only `/.well-known/openid-configuration` answers; RFC 8414's URL is 404.
    case oidcOnly
    /// `code_challenge_methods_supported` is absent.
    case noCodeChallengeMethods
    /// `code_challenge_methods_supported` is `["plain"]`.
    case plainOnly
    /// Token responses carry `expires_in` as a string, e.g. `"3600"`.
    case expiresInString
    /// Token responses carry no `expires_in`.
    case noExpiresIn
    /// Token responses carry no `refresh_token`.
    case noRefreshToken
    /// `scopes_supported` is `[]`.
    case emptyScopes
    /// The document's `issuer` differs from the issuer it is served for.
    case wrongIssuer
    /// An HTML page is served at the metadata URLs.
    case htmlMetadata
}
