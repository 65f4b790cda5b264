import FoundationEssentials

/// Finds authorization server metadata (RFC 8414, OpenID Connect Discovery) and, when no
/// server is configured, the server named by the backend's protected resource metadata (RFC 9728).
struct Discovery: Sendable {
    let http: HTTPClient
    let logger: Logger

    /// The well-known URLs to try for an issuer, in order (RFC 8414 §3.1, OIDC Discovery §4,
    /// and the compatibility form for issuers with a path).
    static func metadataURLs(for issuer: URL) -> [URL] {
        guard var components = URLComponents(url: issuer, resolvingAgainstBaseURL: false) else {
            return []
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        components.query = nil
        components.fragment = nil
        func url(_ newPath: String) -> URL? {
            var copy = components
            copy.path = newPath
            return copy.url
        }
        let candidates: [URL?] =
            path.isEmpty
            ? [url("/.well-known/oauth-authorization-server"), url("/.well-known/openid-configuration")]
            : [
                url("/.well-known/oauth-authorization-server\(path)"),
                url("/.well-known/openid-configuration\(path)"),
                url("\(path)/.well-known/openid-configuration"),
            ]
        return candidates.compactMap { $0 }
    }

    /// Fetches and checks the metadata of `issuer`.
    /// - Throws: `OAuthError(.discovery)`: no document found, a server error, a document that is
    ///   not JSON, or an `issuer` that is not exactly the expected one.
    func authorizationServerMetadata(issuer: URL) async throws -> AuthorizationServerMetadata {
        let expected = issuer.absoluteString
        for url in Self.metadataURLs(for: issuer) {
            var request = OutgoingRequest(url: url)
            request.setHeader("Accept", "application/json")
            let response: HTTPClientResponse
            do {
                response = try await http.send(request)
            } catch {
                throw OAuthError(.discovery, "cannot fetch authorization server metadata: \(error)")
            }
            logger.debug("metadata probe", ["oauth.url": url.absoluteString, "http.status": "\(response.status)"])
            if (400..<500).contains(response.status) { continue }
            guard response.status == 200 else {
                throw OAuthError(
                    .discovery,
                    "the authorization server answered \(response.status) for \(url.absoluteString); "
                        + "try again later or check RELAY_AUTH_SERVER_URL")
            }
            let metadata = try AuthorizationServerMetadata(json: response.body, from: url)
            guard metadata.issuer == expected else {
                throw OAuthError(
                    .discovery,
                    "the metadata at \(url.absoluteString) names issuer \(metadata.issuer), "
                        + "not \(expected); set RELAY_AUTH_SERVER_URL to the exact issuer")
            }
            return metadata
        }
        throw OAuthError(
            .discovery,
            "no authorization server metadata found for \(expected) (tried RFC 8414 and OpenID Connect "
                + "discovery); check RELAY_AUTH_SERVER_URL")
    }

    /// The protected resource metadata (RFC 9728) of the backend: from the challenge's
    /// `resource_metadata` URL, else the path-aware then the root well-known URL.
    func protectedResource(backend: URL, challenge: AuthenticateChallenge?) async throws
        -> ProtectedResourceMetadata
    {
        var candidates: [URL] = []
        if let hint = challenge?.parameters["resource_metadata"], let url = URL(string: hint),
            HTTPClient.origin(of: url) == HTTPClient.origin(of: backend)
                || url.scheme?.lowercased() == "https"
        {
            candidates.append(url)
        }
        if var components = URLComponents(url: backend, resolvingAgainstBaseURL: false) {
            var path = components.path
            while path.hasSuffix("/") { path.removeLast() }
            components.query = nil
            if !path.isEmpty {
                components.path = "/.well-known/oauth-protected-resource\(path)"
                components.url.map { candidates.append($0) }
            }
            components.path = "/.well-known/oauth-protected-resource"
            components.url.map { candidates.append($0) }
        }
        var unreachable: HTTPClientError?
        for url in candidates {
            var request = OutgoingRequest(url: url)
            request.setHeader("Accept", "application/json")
            let response: HTTPClientResponse
            do {
                response = try await http.send(request)
            } catch let error as HTTPClientError {
                unreachable = error
                continue
            }
            guard response.status == 200,
                let document = try? JSONValue(parsing: response.body),
                let resource = document["resource"]?.stringValue,
                let servers = document["authorization_servers"]?.stringArrayValue, let first = servers.first,
                let server = URL(string: first)
            else { continue }
            return ProtectedResourceMetadata(
                resource: resource, authorizationServer: server,
                scopesSupported: document["scopes_supported"]?.stringArrayValue)
        }
        if let unreachable {
            throw OAuthError(
                .network,
                "cannot reach the backend to find its authorization server: \(unreachable); check "
                    + "RELAY_BACKEND_URL and that the service is up, or set RELAY_AUTH_SERVER_URL")
        }
        throw OAuthError(
            .discovery,
            "the backend does not publish protected resource metadata (RFC 9728); "
                + "set RELAY_AUTH_SERVER_URL to the authorization server's issuer URL")
    }
}

/// The parts of RFC 9728 protected resource metadata the relay uses.
struct ProtectedResourceMetadata: Sendable, Equatable {
    var resource: String
    var authorizationServer: URL
    var scopesSupported: [String]?
}
