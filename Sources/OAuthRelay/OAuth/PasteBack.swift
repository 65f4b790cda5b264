import Dispatch
import FoundationEssentials
import MicroHTTP
import RelayCrypto

/// Sign-in without a local browser (`oauth-relay login --no-browser`): show the authorize URL,
/// and take the final redirect URL either pasted on the terminal or received by the loopback
/// listener (when a browser on this machine is used after all), whichever comes first.
///
/// A pasted URL goes through `AuthorizationResponse.validate`, the same check as the listener's.
struct PasteBack: Sendable {
    let configuration: RelayConfiguration
    let context: AuthorizationContext
    let http: HTTPClient
    let logger: Logger
    /// Reads one line of the user's input; nil at end of input.
    let readLine: @Sendable () -> String?
    /// Shows text to the user (standard error).
    let show: @Sendable (String) -> Void

    func run(scope: String?, timeout: TimeInterval) async throws -> TokenSet {
        try context.metadata.checkPKCESupport(logger: logger)
        let pkce = try PKCE()
        let state = try SecureRandom.token(byteCount: 32)
        let issuer = context.metadata.issuer
        let requireIssuer = context.metadata.issParameterSupported
        let listener = try CallbackListener(
            bindHost: configuration.callbackHost, port: configuration.callbackPort,
            redirectHost: configuration.redirectHost, expectedState: state, issuer: issuer,
            requireIssuer: requireIssuer)
        defer { listener.close() }
        let signIn = SignIn(configuration: configuration, context: context, http: http, logger: logger)
        let url = try signIn.authorizeURL(redirectURI: listener.redirectURI, pkce: pkce, state: state, scope: scope)

        show(
            """
            Open this URL in a browser on any machine and sign in:

              \(url.absoluteString)

            The browser then goes to \(listener.redirectURI)?… — that page may fail to load; \
            that is expected.
            Copy the full address from the browser's address bar and paste it here, then press Enter:

            """)
        // The read may never return (nobody pastes): a thread of its own, never the async pool.
        DispatchQueue(label: "oauth-relay paste-back").async { [readLine, show] in
            while let line = readLine() {
                let text = line.trimmingWhitespace()
                guard !text.isEmpty else { continue }
                switch AuthorizationResponse.validate(
                    query: Self.query(of: text), expectedState: state, issuer: issuer, requireIssuer: requireIssuer)
                {
                case .code(let code): return listener.finish(.code(code))
                case .failed(let error): return listener.finish(.failed(error))
                case .foreign:
                    show(
                        "That URL does not carry this sign-in's state, so it was ignored. "
                            + "Paste the address the browser ended on for the URL above (Ctrl-D to give up):\n")
                case .missingCode:
                    show("That URL has no authorization code. Paste the full address (Ctrl-D to give up):\n")
                }
            }
            listener.finish(.failed(OAuthError(.cancelled, "no redirect URL was pasted; the sign-in was abandoned")))
        }

        switch await listener.wait(timeout: timeout) {
        case .failed(let error):
            throw error
        case .code(let code):
            let endpoint = TokenEndpoint(
                http: http, metadata: context.metadata, clientID: context.clientID, resource: context.resource)
            return try await endpoint.exchange(
                code: code, redirectURI: listener.redirectURI, verifier: pkce.verifier, scope: scope)
        }
    }

    /// The decoded query of a pasted URL (or of a bare query string); the fragment is dropped.
    static func query(of text: String) -> [(name: String, value: String)] {
        var rest = Substring(text)
        if let question = rest.firstIndex(of: "?") { rest = rest[rest.index(after: question)...] }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        return FormEncoding.decode(String(rest)) ?? []
    }
}
