import FoundationEssentials

/// Works out whom to sign in with: the authorization server (configured, or named by the
/// backend's RFC 9728 metadata), its RFC 8414 metadata, the client id (configured, stored from an
/// earlier registration, or registered now by RFC 7591) and the resource indicator.
struct ClientSetup: Sendable {
    let configuration: RelayConfiguration
    let store: any TokenStore
    let http: HTTPClient
    let logger: Logger

    func context(challenge: AuthenticateChallenge?) async throws -> AuthorizationContext {
        let discovery = Discovery(http: http, logger: logger)
        var resource = configuration.resource
        var resourceScopes: [String]?
        let issuer: URL
        if let configured = configuration.authServerURL {
            issuer = configured
        } else {
            let protected = try await discovery.protectedResource(
                backend: configuration.backendURL, challenge: challenge)
            let expected = RelayConfiguration.defaultResource(for: configuration.backendURL)
            guard Self.trimmed(protected.resource) == expected else {
                throw OAuthError(
                    .discovery,
                    "the backend's protected resource metadata names resource \(protected.resource), not "
                        + "\(expected); refusing to send tokens for another resource (check RELAY_BACKEND_URL)")
            }
            if configuration.settings["RELAY_RESOURCE"] == nil { resource = protected.resource }
            resourceScopes = protected.scopesSupported
            issuer = Self.withoutRootSlash(protected.authorizationServer)
            logger.info("authorization server discovered from the backend", ["oauth.issuer": issuer.absoluteString])
        }
        let metadata = try await discovery.authorizationServerMetadata(issuer: issuer)
        let clientID = try await client(metadata: metadata)
        return AuthorizationContext(
            metadata: metadata, clientID: clientID, resource: resource, resourceScopes: resourceScopes)
    }

    /// The scope to ask for (CASES 4): RELAY_SCOPES; else the challenge's `scope`; else the
    /// resource metadata's `scopes_supported`; else none — never invented scopes.
    static func scope(
        configuration: RelayConfiguration, challenge: AuthenticateChallenge?,
        context: AuthorizationContext
    ) -> String? {
        if let configured = configuration.scopes, !configured.isEmpty { return configured.joined(separator: " ") }
        if let requested = challenge?.parameters["scope"], !requested.isEmpty { return requested }
        if let supported = context.resourceScopes, !supported.isEmpty { return supported.joined(separator: " ") }
        return nil
    }

    private func client(metadata: AuthorizationServerMetadata) async throws -> String {
        if let configured = configuration.clientID { return configured }
        let stored: ClientRegistration?
        do {
            stored = try store.loadClient(issuer: metadata.issuer)
        } catch {
            // Registering now would only make a client the store cannot keep, again at every start.
            throw OAuthError(.store, "cannot read the token store (\(store.name)): \(error)")
        }
        if let stored {
            logger.debug("using the stored client registration", ["oauth.client_id": stored.clientID])
            return stored.clientID
        }
        guard let endpoint = metadata.registrationEndpoint else {
            throw OAuthError(
                .registration,
                "the authorization server offers no dynamic client registration; "
                    + "register oauth-relay there as a public native client and set RELAY_CLIENT_ID")
        }
        let registration = try await ClientRegistrar(http: http, logger: logger)
            .register(at: endpoint, issuer: metadata.issuer, redirectHost: configuration.redirectHost)
        do {
            try store.saveClient(registration)
        } catch {
            logger.warning("the client registration could not be stored; the next start registers again: \(error)")
        }
        return registration.clientID
    }

    /// `https://as.example/` names the same issuer as `https://as.example` (RFC 3986 §6.2.3: an
    /// empty http(s) path is "/"). Servers whose URL type always adds the slash (pydantic's, as in
    /// the MCP Python SDK) publish the first form while their metadata says the second.
    static func withoutRootSlash(_ url: URL) -> URL {
        guard url.path == "/", url.query == nil, url.fragment == nil else { return url }
        var text = url.absoluteString
        text.removeLast()
        return URL(string: text) ?? url
    }

    private static func trimmed(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
