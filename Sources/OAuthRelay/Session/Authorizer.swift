import FoundationEssentials

/// Owns the relay's tokens: finds the authorization server, loads and stores tokens, refreshes
/// them and runs sign-ins — one at a time in this process, and one at a time across processes
/// that share the store (an inter-process lock per key, then a re-read of the store).
actor Authorizer {
    /// Refresh this long before the access token expires.
    static let refreshMargin: TimeInterval = 60

    /// How `recover` obtained its tokens.
    enum Source: Sendable { case existing, refreshed, signedIn }

    let configuration: RelayConfiguration
    let store: any TokenStore
    let http: HTTPClient
    let logger: Logger
    private let lock: ProcessLock

    private var context: AuthorizationContext?
    private var tokens: TokenSet?
    /// Whether the store was searched for this resource's sign-in (once: a later one comes in
    /// through `recover`, which re-reads the store).
    private var searchedStore = false
    /// The flow in progress (refresh or sign-in); later callers wait for it instead of starting
    /// their own.
    private var pending: Task<(tokens: TokenSet, source: Source), any Error>?

    init(configuration: RelayConfiguration, store: any TokenStore, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.http = http
        self.logger = logger
        lock = ProcessLock(settings: configuration.settings)
    }

    /// Tokens to send right now, without any browser: from memory, else from the store; refreshed
    /// first when they expire within the margin. Nil when there are none yet.
    ///
    /// Never waits for a sign-in in progress: a call that needs no account must not block on
    /// one; a call that does will get a 401 and then join the flow through `recover`.
    func currentTokens() async throws -> TokenSet? {
        if pending != nil { return tokens }
        if tokens == nil, let key = context?.key ?? configuredKey() ?? storedKey() {
            tokens = try loadStored(key)
        }
        guard let tokens else { return nil }
        guard tokens.expires(within: Self.refreshMargin), tokens.refreshToken != nil else { return tokens }
        return try await recover(rejected: tokens, challenge: nil, allowRefresh: true).tokens
    }

    /// New tokens after the backend refused `rejected` (or needed one): reuse newer stored tokens,
    /// else refresh when allowed, else sign in. `scope` asks for a sign-in with exactly these
    /// scopes (step-up). Concurrent callers share one flow.
    func recover(
        rejected: TokenSet?, challenge: AuthenticateChallenge?, allowRefresh: Bool,
        scope: String? = nil
    ) async throws -> (tokens: TokenSet, source: Source) {
        if let pending { return (try await pending.value.tokens, .existing) }
        if scope == nil, let tokens, tokens.accessToken != rejected?.accessToken, !tokens.expires(within: 0) {
            return (tokens, .existing)
        }
        let task = Task {
            try await self.obtain(rejected: rejected, challenge: challenge, allowRefresh: allowRefresh, scope: scope)
        }
        pending = task
        defer { pending = nil }
        return try await task.value
    }

    /// The authorization server context, discovered on first use (for `login` and friends).
    func authorizationContext(challenge: AuthenticateChallenge? = nil) async throws -> AuthorizationContext {
        if let context { return context }
        let discovered = try await ClientSetup(
            configuration: configuration, store: store, http: http, logger: logger
        ).context(challenge: challenge)
        context = discovered
        return discovered
    }

    /// Stores tokens obtained elsewhere (e.g. by `oauth-relay login`) and uses them.
    func adopt(_ fresh: TokenSet, for key: TokenKey) throws {
        try save(fresh, key)
    }

    private func obtain(
        rejected: TokenSet?, challenge: AuthenticateChallenge?, allowRefresh: Bool,
        scope: String?
    ) async throws -> (tokens: TokenSet, source: Source) {
        var context = try await authorizationContext(challenge: challenge)
        do {
            return try await obtainLocked(
                context: context, rejected: rejected, challenge: challenge, allowRefresh: allowRefresh,
                scope: scope)
        } catch let error as OAuthError where error.code == .invalidClient && configuration.clientID == nil {
            // CASES 3: the server forgot our dynamic registration. Register once more, then stop.
            logger.info("the authorization server no longer knows this client; registering again")
            try? store.clearClient(issuer: context.metadata.issuer)
            try? store.clear(context.key)
            self.context = nil
            tokens = nil
            context = try await authorizationContext(challenge: challenge)
            return try await obtainLocked(
                context: context, rejected: nil, challenge: challenge, allowRefresh: false, scope: scope)
        }
    }

    private func obtainLocked(
        context: AuthorizationContext, rejected: TokenSet?, challenge: AuthenticateChallenge?,
        allowRefresh: Bool, scope: String?
    ) async throws -> (tokens: TokenSet, source: Source) {
        let key = context.key
        return try await lock.withLock(key) {
            // Another relay (or `oauth-relay login`) may have refreshed or signed in meanwhile.
            let stored = try loadStored(key)
            if let stored, scope == nil, stored.accessToken != rejected?.accessToken, !stored.expires(within: 0) {
                logger.debug("using tokens found in the store")
                tokens = stored
                return (stored, .existing)
            }

            if allowRefresh, scope == nil, let current = stored ?? tokens, current.refreshToken != nil {
                let endpoint = TokenEndpoint(
                    http: http, metadata: context.metadata, clientID: context.clientID, resource: context.resource)
                do {
                    let refreshed = try await endpoint.refresh(current)
                    try save(refreshed, key)
                    logger.info("access token refreshed")
                    return (refreshed, .refreshed)
                } catch let error as OAuthError where error.code == .invalidGrant {
                    logger.info("the refresh token was refused; clearing stored tokens and signing in again")
                    tokens = nil
                    try clearStored(key)
                }
            }

            let requested =
                scope ?? ClientSetup.scope(configuration: configuration, challenge: challenge, context: context)
            if configuration.browserMode == .headless {
                // No browser here, and stdin/stdout belong to the MCP host: ask for `oauth-relay
                // login` in a terminal; a later call finds its tokens in the store.
                throw OAuthError(.browser, SignInHint.message(configuration: configuration, context: context))
            }
            let signIn = SignIn(configuration: configuration, context: context, http: http, logger: logger)
            let fresh = try await signIn.run(scope: requested)
            try save(fresh, key)
            logger.info("signed in", ["oauth.issuer": context.metadata.issuer])
            return (fresh, .signedIn)
        }
    }

    /// The store key when the issuer is configured and the client is known (configured, or a
    /// stored registration), so stored tokens are used at start without any network round trip.
    private func configuredKey() -> TokenKey? {
        guard let issuer = configuration.authServerURL?.absoluteString else { return nil }
        let clientID = configuration.clientID ?? (try? store.loadClient(issuer: issuer))?.clientID
        guard let clientID else { return nil }
        return TokenKey(issuer: issuer, clientID: clientID, resource: configuration.resource ?? "")
    }

    /// Without a configured issuer: the one stored sign-in for this backend's resource, if there
    /// is exactly one. Its tokens were issued for this backend, so they go on the first request
    /// without a discovery round trip; a backend that refuses them starts discovery as usual.
    private func storedKey() -> TokenKey? {
        guard !searchedStore, configuration.authServerURL == nil else { return nil }
        searchedStore = true
        func trimmed(_ text: String) -> Substring {
            var text = text[...]
            while text.hasSuffix("/") { text = text.dropLast() }
            return text
        }
        let resource = trimmed(configuration.resource ?? "")
        let keys = ((try? store.entries()) ?? []).map(\.key).filter { key in
            trimmed(key.resource) == resource && (configuration.clientID.map { $0 == key.clientID } ?? true)
        }
        guard keys.count == 1 else { return nil }
        logger.debug("using the stored sign-in for this backend", ["oauth.issuer": keys[0].issuer])
        return keys[0]
    }

    private func loadStored(_ key: TokenKey) throws -> TokenSet? {
        do {
            return try store.load(key)
        } catch {
            throw OAuthError(.store, "cannot read stored tokens from \(store.name): \(error)")
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
            throw OAuthError(.store, "cannot clear stored tokens in \(store.name): \(error)")
        }
    }
}
