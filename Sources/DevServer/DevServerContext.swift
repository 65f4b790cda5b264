import Foundation
import JSONWebToken
import Synchronization

/// What every endpoint shares: the configuration, the URLs fixed once the port is known, and
/// the in-memory stores.
final class DevServerContext: Sendable {
    let configuration: DevServerConfiguration
    let baseURL: String
    let issuer: String
    /// The backend's resource URI: the only audience tokens are issued for.
    let resource: String
    let signer: HS256Signer
    let verifier: JWTVerifier
    let grants = Mutex(GrantState())
    let clients: ClientRegistry
    let notes = NoteBook()
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
        verifier = try JWTVerifier(secret: configuration.jwtSecret, issuer: issuer, audience: resource)
        clients = ClientRegistry(configuration.clients)
        settings = RuntimeSettings(configuration)
    }

    var hasAuthorizationServer: Bool { configuration.roles.contains(.authorizationServer) }
    var hasBackend: Bool { configuration.roles.contains(.backend) }

    /// `scopes_supported` as the current metadata variant presents it.
    var advertisedScopes: [String] {
        settings.current.metadataVariant == .emptyScopes ? [] : configuration.scopes
    }

    /// Where the protected resource metadata lives (RFC 9728 §3.1).
    var resourceMetadataURL: String {
        let path = URLComponents(string: resource)?.path ?? ""
        let suffix = path == "/" ? "" : path
        return baseURL + "/.well-known/oauth-protected-resource" + suffix
    }
}
