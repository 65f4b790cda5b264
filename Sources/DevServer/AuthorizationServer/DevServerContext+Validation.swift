/// Request checks shared by the authorize, token and device endpoints.
extension DevServerContext {
    /// The scopes asked for, or every supported scope when none were (the client's default).
    /// - Throws: `invalid_scope` for a scope the server does not know.
    func grantedScopes(for requested: String?) throws(OAuthError) -> [String] {
        guard let requested else { return configuration.scopes }
        var scopes: [String] = []
        for scope in requested.split(separator: " ").map(String.init) where !scopes.contains(scope) {
            guard configuration.scopes.contains(scope) else {
                throw OAuthError(400, "invalid_scope", "the scope \(scope) is not supported")
            }
            scopes.append(scope)
        }
        return scopes.isEmpty ? configuration.scopes : scopes
    }

    /// The audience for tokens: the requested resource (RFC 8707), which must be one of the
    /// backend's (its REST form or its MCP endpoint) exactly, byte for byte; the REST form's
    /// when none was requested.
    func audience(for requested: String?) throws(OAuthError) -> String {
        guard let requested else { return resource }
        guard protectedResources.contains(where: { $0.identifier == requested }) else {
            throw OAuthError(400, "invalid_target", "the resource \(requested) is not known here")
        }
        return requested
    }

    /// The registered client named by a request.
    /// - Throws: `invalid_client` (401) for an unknown client.
    func knownClient(_ id: String) throws(OAuthError) -> DevClient {
        guard let client = clients.client(id) else {
            throw .invalidClient("the client \(id) is not registered")
        }
        return client
    }
}
