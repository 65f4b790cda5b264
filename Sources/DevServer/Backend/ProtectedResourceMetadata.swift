import Foundation
import MicroHTTP

/// OAuth 2.0 Protected Resource Metadata (RFC 9728) for the example backend.
struct ProtectedResourceMetadata {
    let context: DevServerContext

    var path: String {
        String(context.resourceMetadataURL.dropFirst(context.baseURL.count))
    }

    func handle() -> HTTPResponse {
        .json(
            200,
            [
                "resource": context.resource,
                "authorization_servers": [context.issuer],
                "scopes_supported": context.configuration.scopes,
                "bearer_methods_supported": ["header"],
                "resource_name": "oauth-relay example backend",
            ])
    }
}
