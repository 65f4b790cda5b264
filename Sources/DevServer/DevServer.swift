import Foundation
import JSONWebToken
import MicroHTTP
import Synchronization

/// The development authorization server and example backend, listening on loopback.
///
/// ```swift
/// var configuration = DevServerConfiguration()
/// configuration.autoApproveUser = "alice"
/// let server = try DevServer(configuration)
/// defer { server.stop() }
/// // metadata: server.issuer + "/.well-known/oauth-authorization-server"
/// ```
public final class DevServer: Sendable {
    private let http: HTTPServer
    private let context: DevServerContext

    /// Starts listening at once.
    /// - Throws: `HTTPServerError` when the address cannot be used, `DevServerError` for an
    ///   unusable configuration.
    public init(_ configuration: DevServerConfiguration) throws {
        guard !configuration.jwtSecret.isEmpty else { throw DevServerError.emptySecret }
        guard configuration.issuerPath.isEmpty || configuration.issuerPath.hasPrefix("/"),
            !configuration.issuerPath.hasSuffix("/")
        else { throw DevServerError.invalidIssuerPath(configuration.issuerPath) }
        guard !configuration.roles.isEmpty else { throw DevServerError.noRoles }

        // The router needs the base URL, which is known only once the socket is bound.
        let slot = Mutex<DevServerRouter?>(nil)
        let limits = HTTPServer.Limits(
            maxBodyBytes: configuration.maxBodyBytes, maxHeaderBytes: configuration.maxHeaderBytes)
        http = try HTTPServer(host: configuration.host, port: configuration.port, limits: limits) { request in
            guard let router = slot.withLock({ $0 }) else {
                return .json(503, ["error": "temporarily_unavailable", "error_description": "starting"])
            }
            return router.respond(to: request)
        }
        do {
            context = try DevServerContext(configuration: configuration, baseURL: http.baseURL)
        } catch {
            http.stop()
            throw DevServerError.emptySecret
        }
        slot.withLock { $0 = DevServerRouter(context: context) }
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String { context.baseURL }
    /// The issuer: base URL plus issuer path, or the configured issuer.
    public var issuer: String { context.issuer }
    /// The backend's resource URI, the audience of every access token.
    public var resource: String { context.resource }
    /// The port bound.
    public var port: UInt16 { http.port }

    /// Stops listening and waits for requests in flight. Safe to call more than once.
    public func stop() {
        http.stop()
    }
}

/// Why the development server could not start.
public enum DevServerError: Error, Equatable, CustomStringConvertible, Sendable {
    case emptySecret
    case invalidIssuerPath(String)
    case noRoles

    public var description: String {
        switch self {
        case .emptySecret: "the JWT secret is empty; set JWT_SECRET or leave it unset for a random one"
        case .invalidIssuerPath(let path): "the issuer path \(path) must start with / and not end with /"
        case .noRoles: "no role chosen; use authorization server, backend, or both"
        }
    }
}
