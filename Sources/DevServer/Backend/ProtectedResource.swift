import Foundation
import JSONWebToken

/// One protected resource the backend serves (RFC 8707, RFC 9728): its identifier, where its
/// metadata lives, and a verifier that takes only tokens issued for it.
///
/// The backend has two: the REST form (`/mcp/tools…`) under the backend's resource URI, and the
/// MCP endpoint (`/mcp`) under that URI with `/mcp` appended. A token is good for one of them.
struct ProtectedResource: Sendable {
    /// The resource URI, the audience of its tokens.
    let identifier: String
    /// Shown as `resource_name` in the metadata.
    let name: String
    /// The RFC 9728 §3.1 location of the metadata on this server.
    let metadataURL: String
    let verifier: JWTVerifier

    init(identifier: String, name: String, baseURL: String, secret: [UInt8], issuer: String) throws {
        self.identifier = identifier
        self.name = name
        let path = URLComponents(string: identifier)?.path ?? ""
        metadataURL = baseURL + "/.well-known/oauth-protected-resource" + (path == "/" ? "" : path)
        verifier = try JWTVerifier(secret: secret, issuer: issuer, audience: identifier)
    }

    /// The metadata path on this server.
    func metadataPath(baseURL: String) -> String {
        String(metadataURL.dropFirst(baseURL.count))
    }

    /// The MCP endpoint's resource URI for a backend resource URI.
    static func mcpIdentifier(for backend: String) -> String {
        (backend.hasSuffix("/") ? String(backend.dropLast()) : backend) + MCPEndpoint.path
    }
}
