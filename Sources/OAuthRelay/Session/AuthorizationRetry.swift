/// What the relay does when a backend or MCP server refuses a request, shared by both kinds of
/// upstream: a 401 refreshes (or signs in) and, if a refreshed token is refused too, signs in
/// once; a 403 `insufficient_scope` signs in once for the union of the granted and the requested
/// scopes, without a refresh, which cannot widen a grant (CASES 9).
struct AuthorizationRetry {
    /// The tokens to send next; nil until the first sign-in.
    private(set) var token: TokenSet?
    private var signedIn = false
    private var steppedUp = false

    init(token: TokenSet?) {
        self.token = token
    }

    /// Obtains new tokens for a refused request.
    /// - Returns: true when the request should be sent again with `token`; false when this
    ///   refusal is not one to recover from (or recovery was already tried).
    mutating func recover(
        status: Int, challenge: AuthenticateChallenge?, authorizer: Authorizer, logger: Logger, peer: String
    ) async throws -> Bool {
        if status == 401, !signedIn {
            let recovered = try await authorizer.recover(
                rejected: token, challenge: challenge, allowRefresh: token != nil)
            signedIn = recovered.source == .signedIn
            token = recovered.tokens
            return true
        }
        if status == 403, challenge?.parameters["error"] == "insufficient_scope",
            let required = challenge?.parameters["scope"], !steppedUp
        {
            let scope = Self.union(token?.scope, required)
            logger.info("the \(peer) needs more scopes; signing in again", ["oauth.scope": scope])
            token = try await authorizer.recover(
                rejected: token, challenge: challenge, allowRefresh: false, scope: scope
            ).tokens
            steppedUp = true
            signedIn = true
            return true
        }
        return false
    }

    /// The granted scopes followed by the newly required ones, each once, in order.
    static func union(_ granted: String?, _ required: String) -> String {
        var scopes: [String] = []
        for scope in (granted ?? "").split(separator: " ") + required.split(separator: " ")
        where !scopes.contains(String(scope)) {
            scopes.append(String(scope))
        }
        return scopes.joined(separator: " ")
    }
}
