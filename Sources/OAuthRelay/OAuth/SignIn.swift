import FoundationEssentials
import Glibc
import MicroHTTP
import RelayCrypto

/// One browser sign-in: OAuth 2.1 authorization code with PKCE on a loopback redirect.
///
/// The verifier and state live only in this value's stack frame and are never logged.
struct SignIn: Sendable {
    let configuration: RelayConfiguration
    let context: AuthorizationContext
    let http: HTTPClient
    let logger: Logger

    /// Runs the flow and returns the tokens; nothing is stored here.
    func run(scope: String?) async throws -> TokenSet {
        try context.metadata.checkPKCESupport(logger: logger)
        let pkce = try PKCE()
        let state = try SecureRandom.token(byteCount: 32)
        let listener = try CallbackListener(
            bindHost: configuration.callbackHost, port: configuration.callbackPort,
            redirectHost: configuration.redirectHost, expectedState: state,
            issuer: context.metadata.issuer, requireIssuer: context.metadata.issParameterSupported)
        defer { Self.closeSoon(listener) }

        let url = try authorizeURL(redirectURI: listener.redirectURI, pkce: pkce, state: state, scope: scope)
        logger.info("sign-in required; open this URL in a browser if none opens: \(url.absoluteString)")
        do {
            try BrowserOpener(command: configuration.browser).open(url)
        } catch {
            switch error {
            case .notConfigured:
                logger.info("RELAY_BROWSER=manual: waiting for the sign-in URL to be opened by hand")
            case .unsafeURL:
                throw OAuthError(
                    .unsupportedServer, "the authorization endpoint is not an http(s) URL; refusing to open it")
            case .spawnFailed(let program, let number):
                throw OAuthError(
                    .browser,
                    "cannot start the browser program \(program) (\(String(cString: strerror(number)))); set "
                        + "RELAY_BROWSER to a browser command, or RELAY_BROWSER=manual to open the logged URL by hand")
            }
        }

        switch await listener.wait(timeout: configuration.authTimeout) {
        case .failed(let error) where error.code == .timedOut && configuration.clientID == nil:
            // A server that forgot our registration shows the browser an error page and never
            // redirects, which looks like a sign-in nobody finished. Ask it, now that it failed.
            let endpoint = TokenEndpoint(
                http: http, metadata: context.metadata, clientID: context.clientID, resource: context.resource)
            guard await endpoint.knowsClient() == false else { throw error }
            throw OAuthError(
                .invalidClient,
                "the sign-in did not finish: the authorization server no longer knows this relay's client "
                    + "registration (was it restarted?), so the browser could only show an error")
        case .failed(let error):
            throw error
        case .code(let code):
            let endpoint = TokenEndpoint(
                http: http, metadata: context.metadata, clientID: context.clientID,
                resource: context.resource)
            return try await endpoint.exchange(
                code: code, redirectURI: listener.redirectURI, verifier: pkce.verifier, scope: scope)
        }
    }

    /// The authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2).
    func authorizeURL(redirectURI: String, pkce: PKCE, state: String, scope: String?) throws -> URL {
        var parameters: [(name: String, value: String)] = [
            ("response_type", "code"), ("client_id", context.clientID), ("redirect_uri", redirectURI),
            ("code_challenge", pkce.challenge), ("code_challenge_method", pkce.method), ("state", state),
        ]
        if let scope, !scope.isEmpty { parameters.append(("scope", scope)) }
        if let resource = context.resource { parameters.append(("resource", resource)) }
        guard
            var components = URLComponents(
                url: context.metadata.authorizationEndpoint, resolvingAgainstBaseURL: false)
        else {
            throw OAuthError(.unsupportedServer, "the authorization endpoint is not a valid URL")
        }
        let existing = components.percentEncodedQuery.map { $0 + "&" } ?? ""
        components.percentEncodedQuery = existing + FormEncoding.encode(parameters)
        guard let url = components.url else {
            throw OAuthError(.unsupportedServer, "the authorization endpoint is not a valid URL")
        }
        return url
    }

    /// Gives the browser a moment to receive the result page, then closes the listener.
    private static func closeSoon(_ listener: CallbackListener) {
        Task.detached {
            try? await Task.sleep(for: .milliseconds(200))
            listener.close()
        }
    }
}

extension AuthorizationServerMetadata {
    /// PKCE policy (CASES 7): a server that lists methods without S256 is refused before any
    /// browser opens; a server that lists none is assumed to support S256, with a warning.
    func checkPKCESupport(logger: Logger) throws {
        guard let methods = codeChallengeMethodsSupported else {
            logger.warning(
                "the authorization server's metadata does not list code_challenge_methods_supported; "
                    + "using PKCE S256 anyway", ["oauth.issuer": issuer])
            return
        }
        guard methods.contains("S256") else {
            throw OAuthError(
                .unsupportedServer,
                "the authorization server does not support PKCE S256 (it lists \(methods)); "
                    + "refusing to sign in without it")
        }
    }
}
