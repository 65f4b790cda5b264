/// A client the authorization server knows before any dynamic registration.
///
/// Every client is public (`token_endpoint_auth_method: none`) and must use PKCE. An empty
/// `redirectURIs` list accepts any loopback redirect on any port, as RFC 8252 §7.3 describes
/// for native apps; otherwise a redirect must match one entry, with the port ignored for
/// loopback addresses.
public struct DevClient: Sendable, Hashable {
    public var id: String
    public var redirectURIs: [String]
    public var name: String

    public init(id: String, redirectURIs: [String] = [], name: String? = nil) {
        self.id = id
        self.redirectURIs = redirectURIs
        self.name = name ?? id
    }

    /// The relay's pre-registered client: `oauth-relay`, any loopback redirect.
    public static let defaultRelayClient = DevClient(id: "oauth-relay", name: "oauth-relay")
}
