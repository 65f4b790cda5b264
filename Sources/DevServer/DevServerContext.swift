import Foundation
import JSONWebToken
import Synchronization

/// What every endpoint shares: the configuration, the URLs fixed once the port is known, and
/// the in-memory stores.
final class DevServerContext: Sendable {
    let configuration: DevServerConfiguration
    let baseURL: String
    let issuer: String
    /// The backend's resource URI: the audience of tokens for its REST form.
    let resource: String
    /// The REST form of the backend and its MCP endpoint, each a resource of its own.
    let restResource: ProtectedResource
    let mcpResource: ProtectedResource
    let signer: HS256Signer
    let grants = Mutex(GrantState())
    let clients: ClientRegistry
    let notes = NoteBook()
    let mcpSessions = MCPSessions()
    let settings: RuntimeSettings
    let recorder = RequestRecorder()

    init(configuration: DevServerConfiguration, baseURL: String) throws {
        self.configuration = configuration
        self.baseURL = baseURL
        let issuer = configuration.issuer ?? baseURL + configuration.issuerPath
        self.issuer = issuer
        let resource = configuration.resource ?? baseURL
        self.resource = resource
        signer = try HS256Signer(secret: configuration.jwtSecret)
        restResource = try ProtectedResource(
            identifier: resource, name: "oauth-relay example backend", baseURL: baseURL,
            secret: configuration.jwtSecret, issuer: issuer)
        mcpResource = try ProtectedResource(
            identifier: ProtectedResource.mcpIdentifier(for: resource), name: "oauth-relay example MCP server",
            baseURL: baseURL, secret: configuration.jwtSecret, issuer: issuer)
        clients = ClientRegistry(configuration.clients)
        settings = RuntimeSettings(configuration)
    }

    var hasAuthorizationServer: Bool { configuration.roles.contains(.authorizationServer) }
    var hasBackend: Bool { configuration.roles.contains(.backend) }

    /// `scopes_supported` as the current metadata variant presents it.
    var advertisedScopes: [String] {
        settings.current.metadataVariant == .emptyScopes ? [] : configuration.scopes
    }

    var protectedResources: [ProtectedResource] { [restResource, mcpResource] }

    /// The claims of an access token issued by this server for any of its resources.
    func verifyForAnyResource(_ token: String) -> JWTClaims? {
        protectedResources.lazy.compactMap { try? $0.verifier.verify(token) }.first
    }
}
