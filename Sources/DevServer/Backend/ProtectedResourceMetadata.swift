import MicroHTTP

/// OAuth 2.0 Protected Resource Metadata (RFC 9728) for one of the backend's resources.
struct ProtectedResourceMetadata {
    let context: DevServerContext
    let resource: ProtectedResource

    func handle() -> HTTPResponse {
        .json(
            200,
            [
                "resource": resource.identifier,
                "authorization_servers": [context.issuer],
                "scopes_supported": context.configuration.scopes,
                "bearer_methods_supported": ["header"],
                "resource_name": resource.name,
            ])
    }
}
