import Foundation
import MicroHTTP

/// Sends each request to its endpoint, and does what every request needs: injected failures,
/// recording for tests, and the one-line request log.
struct DevServerRouter: Sendable {
    let context: DevServerContext

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = ContinuousClock.now
        let response = route(request)
        if context.configuration.logRequests {
            RequestLog.write(request: request, status: response.status, duration: ContinuousClock.now - started)
        }
        return response
    }

    private func route(_ request: HTTPRequest) -> HTTPResponse {
        if request.path.hasPrefix(TestControlEndpoint.prefix) {
            guard context.configuration.testControls else { return notFound() }
            return TestControlEndpoint(context: context).handle(request)
        }
        let name = endpointName(request.path)
        if context.configuration.testControls {
            context.recorder.count(method: request.method, path: request.path)
            // Every request is recorded in order (metadata probes and 404s too), so tests can
            // assert discovery order; only non-secret parameters are kept.
            context.recorder.record(
                method: request.method, path: request.path,
                parameters: request.query + (request.formValues() ?? []))
        }
        guard let name else { return notFound() }
        if let status = context.settings.takeFailure(for: name) {
            let code =
                context.settings.current.failureErrors[name]
                ?? (status >= 500 ? "server_error" : "invalid_request")
            return .json(status, ["error": code, "error_description": "failure injected by a test control"])
        }
        return dispatch(name, request)
    }

    private func dispatch(_ name: String, _ request: HTTPRequest) -> HTTPResponse {
        switch name {
        case "metadata":
            let endpoint = MetadataEndpoint(context: context)
            return endpoint.kind(of: request.path).map(endpoint.handle) ?? notFound()
        case "jwks": return .json(200, ["keys": [Any]()])
        case "authorize": return AuthorizeEndpoint(context: context).handle(request)
        case "token": return TokenEndpoint(context: context).handle(request)
        case "revoke": return RevocationEndpoint(context: context).handle(request)
        case "register": return RegistrationEndpoint(context: context).handle(request)
        case "device_authorization": return DeviceAuthorizationEndpoint(context: context).handle(request)
        case "device": return DeviceVerificationPage(context: context).handle(request)
        case "resource_metadata":
            let resource = context.protectedResources.first {
                $0.metadataPath(baseURL: context.baseURL) == request.path
            }
            return resource.map { ProtectedResourceMetadata(context: context, resource: $0).handle() } ?? notFound()
        case "tools", "health": return ExampleBackend(context: context).handle(request)
        case "mcp": return MCPEndpoint(context: context).handle(request)
        default: return notFound()
        }
    }

    /// The endpoint a path belongs to, for the roles this server plays; nil when none.
    private func endpointName(_ path: String) -> String? {
        if context.hasAuthorizationServer {
            if MetadataEndpoint(context: context).kind(of: path) != nil { return "metadata" }
            switch path {
            case "/authorize", "/token", "/revoke", "/register", "/device_authorization", "/device":
                return String(path.dropFirst())
            case "/.well-known/jwks.json": return "jwks"
            default: break
            }
        }
        if context.hasBackend {
            if context.protectedResources.contains(where: { $0.metadataPath(baseURL: context.baseURL) == path }) {
                return "resource_metadata"
            }
            if path == "/health" { return "health" }
            if path == MCPEndpoint.path || path == MCPEndpoint.path + "/" { return "mcp" }
            if path == "/mcp/tools" || path.hasPrefix(ExampleBackend.toolPathPrefix) { return "tools" }
        }
        return nil
    }

    private func notFound() -> HTTPResponse {
        .json(404, ["error": "not_found", "error_description": "no such endpoint"])
    }
}
