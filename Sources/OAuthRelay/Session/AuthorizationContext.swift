/// What the relay knows about the authorization server once it has been discovered.
struct AuthorizationContext: Sendable {
    var metadata: AuthorizationServerMetadata
    var clientID: String
    /// The resource indicator sent on every authorization and token request; nil = omitted.
    var resource: String?
    /// `scopes_supported` of the backend's protected resource metadata, when it was discovered.
    var resourceScopes: [String]? = nil

    var key: TokenKey {
        TokenKey(issuer: metadata.issuer, clientID: clientID, resource: resource ?? "")
    }
}
