import Foundation
import RelayCrypto

/// Which halves of the development server run in one process.
public enum DevServerRole: String, Sendable, Hashable, CaseIterable {
    /// The OAuth authorization server: metadata, authorize, token, revoke, register, device.
    case authorizationServer
    /// The example backend: `/mcp/tools`, `/health` and protected resource metadata.
    case backend
}

/// How the MCP endpoint answers a request: one JSON body, or an SSE stream that carries the
/// answer (and, for a tool call with a progress token, a progress notification before it).
public enum MCPResponseMode: String, Sendable, CaseIterable {
    case json
    case sse
}

/// Everything the development server can be told at start-up. Defaults suit a local demo.
public struct DevServerConfiguration: Sendable {
    /// A numeric loopback address; the server never listens anywhere else by default.
    public var host: String = "127.0.0.1"
    /// 0 lets the system choose a free port.
    public var port: UInt16 = 0
    public var roles: Set<DevServerRole> = [.authorizationServer, .backend]
    /// Appended to the base URL to form the issuer, e.g. `/tenant-a` (RFC 8414 §3.1).
    public var issuerPath: String = ""
    /// An explicit issuer. In backend-only mode this is the issuer tokens must carry
    /// (`AUTH_SERVER_URL`).
    public var issuer: String? = nil
    /// The HS256 key shared by the authorization server and the backend (`JWT_SECRET`).
    public var jwtSecret: [UInt8]
    public var accessTokenLifetime: TimeInterval = 3600
    public var refreshTokenLifetime: TimeInterval = 30 * 86400
    public var codeLifetime: TimeInterval = 60
    /// When set, `/authorize` approves as this user at once, without a page.
    public var autoApproveUser: String? = nil
    public var clients: [DevClient] = [.defaultRelayClient]
    /// `scopes_supported`, and the scopes a client gets when it asks for none.
    public var scopes: [String] = ["notes:read", "notes:write"]
    /// The backend's resource URI (RFC 8707, RFC 9728); nil means the base URL.
    public var resource: String? = nil
    /// How the MCP endpoint at `/mcp` answers requests.
    public var mcpResponses: MCPResponseMode = .json
    /// Seconds a device-grant client must wait between polls (RFC 8628 §3.5).
    public var deviceInterval: Int = 5
    public var deviceCodeLifetime: TimeInterval = 600
    /// Enables the `/_test/…` endpoints. Never turn this on outside tests and demos.
    public var testControls: Bool = false
    public var metadataVariant: MetadataVariant = .standard
    /// Writes one line per request to stderr: method, path, status, duration.
    public var logRequests: Bool = false
    /// Request size limits; oversized bodies get 413 and oversized headers 431.
    public var maxBodyBytes: Int = 256 * 1024
    public var maxHeaderBytes: Int = 32 * 1024

    /// The defaults, with a fresh random 32-byte `jwtSecret`.
    public init() {
        // An empty secret (the generator failed) makes `DevServer.init` throw.
        jwtSecret = (try? SecureRandom.bytes(32)) ?? []
    }
}
