import Foundation

/// Owns the relay's tokens: finds the authorization server, loads and stores tokens, refreshes
/// them and runs sign-ins — one at a time, so concurrent calls share one flow.
actor Authorizer {
    /// Refresh this long before the access token expires.
    static let refreshMargin: TimeInterval = 60

    private let configuration: RelayConfiguration
    private let store: any TokenStore
    private let http: HTTPClient
    private let logger: Logger

    private var context: AuthorizationContext?
    private var tokens: TokenSet?
    /// The flow in progress (refresh or sign-in); later callers wait for it instead of starting
    /// their own.
    private var pending: Task<(tokens: TokenSet, source: Source), any Error>?

    init(configuration: RelayConfiguration, store: any TokenStore, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.http = http
        self.logger = logger
    }

    /// Tokens to send right now, without any browser: from memory, else from the store; refreshed
    /// first when they expire within the margin. Nil when there are none yet.
    /// Never waits for a sign-in in progress: a call that needs no account must not block on
    /// one; a call that does will get a 401 and then join the flow through `recover`.
    func currentTokens() async throws -> TokenSet? {
        if pending != nil { return tokens }
        if tokens == nil, let key = context?.key ?? configuredKey {
            tokens = try loadStored(key)
        }
        guard let tokens else { return nil }
        guard tokens.expires(within: Self.refreshMargin), tokens.refreshToken != nil else { return tokens }
        return try await recover(rejected: tokens, challenge: nil, allowRefresh: true).tokens
    }

    /// How `recover` obtained its tokens.
    enum Source: Sendable { case existing, refreshed, signedIn }

    /// New tokens after the backend refused `rejected` (or needed one): reuse newer stored tokens,
    /// else refresh when allowed, else sign in. `scope` overrides the configured scopes (step-up).
    /// Concurrent callers share one flow.
    func recover(rejected: TokenSet?, challenge: AuthenticateChallenge?, allowRefresh: Bool,
                 scope: String? = nil) async throws -> (tokens: TokenSet, source: Source)
    {
        if let pending { return (try await pending.value.tokens, .existing) }
        if let tokens, tokens.accessToken != rejected?.accessToken, !tokens.expires(within: 0),
            scope == nil
        {
            return (tokens, .existing)
        }
        let task = Task {
            try await self.obtain(rejected: rejected, challenge: challenge, allowRefresh: allowRefresh, scope: scope)
        }
        pending = task
        defer { pending = nil }
        return try await task.value
    }

    /// The store key when issuer and client are configured, so stored tokens are used at start
    /// without any network round trip.
    private var configuredKey: TokenKey? {
        guard let issuer = configuration.authServerURL, let clientID = configuration.clientID else { return nil }
        return TokenKey(issuer: issuer.absoluteString, clientID: clientID, resource: configuration.resource ?? "")
    }

    /// Forgets the tokens everywhere (memory and store).
    func clear() throws {
        tokens = nil
        if let context { try store.clear(context.key) }
    }

    private func obtain(rejected: TokenSet?, challenge: AuthenticateChallenge?, allowRefresh: Bool,
                        scope: String?) async throws -> (tokens: TokenSet, source: Source)
    {
        let context = try await authorizationContext(challenge: challenge)
        let key = context.key

        // Another process (or `oauth-relay login`) may have stored newer tokens.
        if let stored = try loadStored(key), stored.accessToken != rejected?.accessToken,
            !stored.expires(within: Self.refreshMargin), scope == nil
        {
            logger.debug("using tokens found in the store")
            tokens = stored
            return (stored, .existing)
        }

        let current = try loadStored(key) ?? tokens
        if allowRefresh, scope == nil, let current, current.refreshToken != nil {
            let endpoint = TokenEndpoint(
                http: http, metadata: context.metadata, clientID: context.clientID, resource: context.resource)
            do {
                let refreshed = try await endpoint.refresh(current)
                try save(refreshed, key)
                logger.info("access token refreshed")
                return (refreshed, .refreshed)
            } catch let error as OAuthError where error.code == .invalidGrant || error.code == .invalidClient {
                logger.info("refresh refused; clearing stored tokens and signing in again",
                            ["oauth.error": error.code.rawValue])
                tokens = nil
                try clearStored(key)
            }
        }

        if configuration.browserMode == .headless {
            // No browser here, and stdin/stdout belong to the MCP host: ask for `oauth-relay login`
            // in a terminal; the next call finds its tokens in the store.
            throw OAuthError(.browser, SignInHint.message(configuration: configuration, context: context))
        }
        let signIn = SignIn(configuration: configuration, context: context, http: http, logger: logger)
        let fresh = try await signIn.run(scope: scope ?? configuration.scopes?.joined(separator: " "))
        try save(fresh, key)
        logger.info("signed in", ["oauth.issuer": context.metadata.issuer])
        return (fresh, .signedIn)
    }

    /// Discovers the authorization server and client once per process.
    func authorizationContext(challenge: AuthenticateChallenge?) async throws -> AuthorizationContext {
        if let context { return context }
        let discovery = Discovery(http: http, logger: logger)
        var resource = configuration.resource
        let issuer: URL
        if let configured = configuration.authServerURL {
            issuer = configured
        } else {
            let protected = try await discovery.protectedResource(
                backend: configuration.backendURL, challenge: challenge)
            if configuration.settings["RELAY_RESOURCE"] == nil { resource = protected.resource }
            issuer = protected.authorizationServer
            logger.info("authorization server discovered from the backend",
                        ["oauth.issuer": issuer.absoluteString])
        }
        let metadata = try await discovery.authorizationServerMetadata(issuer: issuer)
        let clientID: String
        if let configured = configuration.clientID {
            clientID = configured
        } else if let endpoint = metadata.registrationEndpoint {
            // TODO: keep registrations in the token store so a restart reuses the client id.
            clientID = try await ClientRegistrar(http: http, logger: logger)
                .register(at: endpoint, redirectHost: configuration.redirectHost)
        } else {
            throw OAuthError(
                .registration,
                "the authorization server offers no dynamic client registration; "
                    + "register oauth-relay as a public client there and set RELAY_CLIENT_ID")
        }
        let created = AuthorizationContext(metadata: metadata, clientID: clientID, resource: resource)
        context = created
        return created
    }

    private func loadStored(_ key: TokenKey) throws -> TokenSet? {
        do {
            return try store.load(key)
        } catch {
            throw OAuthError(.store, "cannot read stored tokens: \(error)")
        }
    }

    private func save(_ fresh: TokenSet, _ key: TokenKey) throws {
        tokens = fresh
        do {
            try store.save(fresh, for: key)
        } catch {
            logger.error("the new tokens could not be stored; they are used for this session only: \(error)")
        }
    }

    private func clearStored(_ key: TokenKey) throws {
        do {
            try store.clear(key)
        } catch {
            throw OAuthError(.store, "cannot clear stored tokens: \(error)")
        }
    }
}
