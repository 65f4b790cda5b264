import FoundationEssentials
import MicroHTTP
import RelayCrypto

/// Requests to the token endpoint: code exchange and refresh, as a public client.
struct TokenEndpoint: Sendable {
    let http: HTTPClient
    let metadata: AuthorizationServerMetadata
    let clientID: String
    let resource: String?

    /// Exchanges an authorization code (RFC 6749 §4.1.3 with the RFC 7636 verifier).
    func exchange(code: String, redirectURI: String, verifier: String, scope: String?) async throws
        -> TokenSet
    {
        var form: [(name: String, value: String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("client_id", clientID), ("code_verifier", verifier),
        ]
        if let resource { form.append(("resource", resource)) }
        let response = try await post(form)
        return try TokenResponse.parse(response, requestedScope: scope)
    }

    /// Refreshes (RFC 6749 §6). The old refresh token is kept when no new one is returned.
    func refresh(_ tokens: TokenSet) async throws -> TokenSet {
        guard let refreshToken = tokens.refreshToken else {
            throw OAuthError(.invalidGrant, "no refresh token is stored")
        }
        var form: [(name: String, value: String)] = [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID),
        ]
        if let resource { form.append(("resource", resource)) }
        let response = try await post(form)
        return try TokenResponse.parse(
            response, previousRefreshToken: refreshToken, requestedScope: tokens.scope)
    }

    /// Whether the server still knows this client. A code exchange with a code that was never
    /// issued fails with `invalid_grant` for a known client and `invalid_client` for an unknown
    /// one (RFC 6749 §5.2); nil when the answer says neither. Asked only after a sign-in failed.
    func knowsClient() async -> Bool? {
        guard let code = try? SecureRandom.token(byteCount: 16), let verifier = try? SecureRandom.token(byteCount: 32)
        else { return nil }
        let form: [(name: String, value: String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://127.0.0.1/callback"),
            ("client_id", clientID), ("code_verifier", verifier),
        ]
        guard let response = try? await send(form) else { return nil }
        switch TokenResponse.error(in: response.body)?.code {
        case "invalid_client"?: return false
        case "invalid_grant"?: return true
        default: return nil
        }
    }

    /// Device authorization grant polling request (RFC 8628 §3.4).
    func pollDevice(deviceCode: String) async throws -> HTTPClientResponse {
        var form: [(name: String, value: String)] = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", deviceCode), ("client_id", clientID),
        ]
        if let resource { form.append(("resource", resource)) }
        return try await send(form)
    }

    private func post(_ form: [(name: String, value: String)]) async throws -> Data {
        let response = try await send(form)
        guard response.status == 200 else {
            throw Self.failure(response)
        }
        return response.body
    }

    func send(_ form: [(name: String, value: String)]) async throws -> HTTPClientResponse {
        var request = OutgoingRequest(url: metadata.tokenEndpoint)
        request.method = "POST"
        request.setHeader("Content-Type", "application/x-www-form-urlencoded")
        request.setHeader("Accept", "application/json")
        request.body = Data(FormEncoding.encode(form).utf8)
        do {
            return try await http.send(request)
        } catch let error as HTTPClientError {
            throw OAuthError(.network, "the token request failed: \(error)")
        }
    }

    /// Maps an error answer to an `OAuthError`. The server's description is shown; it never
    /// contains our secrets because we never send them back in a way it could echo.
    static func failure(_ response: HTTPClientResponse) -> OAuthError {
        guard let error = TokenResponse.error(in: response.body) else {
            return OAuthError(
                .tokenEndpoint, "the token endpoint answered HTTP \(response.status) without an OAuth error")
        }
        let detail = error.description.map { ": \($0)" } ?? ""
        switch error.code {
        case "invalid_grant":
            return OAuthError(.invalidGrant, "the authorization server rejected the grant (invalid_grant\(detail))")
        case "invalid_client", "unauthorized_client":
            return OAuthError(
                .invalidClient,
                "the authorization server does not accept this client (\(error.code)\(detail)); check "
                    + "RELAY_CLIENT_ID, or, for a client registered automatically, run oauth-relay logout --all "
                    + "to forget the registration")
        default:
            return OAuthError(.tokenEndpoint, "the token endpoint refused the request (\(error.code)\(detail))")
        }
    }
}
