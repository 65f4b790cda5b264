import FoundationEssentials

/// Token revocation as a public client (RFC 7009).
struct Revocation: Sendable {
    let http: HTTPClient
    let endpoint: URL
    let clientID: String

    /// What happened to one token.
    enum Result: Sendable, Equatable {
        case revoked
        /// The server could not be reached or refused; the message says why (never the token).
        case failed(String)
    }

    /// Revokes the refresh token first (that ends the grant at most servers), then the access
    /// token, each with its `token_type_hint`. Both are tried even when the first fails.
    func revoke(_ tokens: TokenSet) async -> [(kind: String, result: Result)] {
        var results: [(kind: String, result: Result)] = []
        if let refresh = tokens.refreshToken {
            results.append(("refresh token", await revoke(refresh, hint: "refresh_token")))
        }
        results.append(("access token", await revoke(tokens.accessToken, hint: "access_token")))
        return results
    }

    /// One revocation request (RFC 7009 §2.1). 200 means revoked or unknown: both are fine.
    func revoke(_ token: String, hint: String) async -> Result {
        let form = [(name: "token", value: token), ("token_type_hint", hint), ("client_id", clientID)]
        do {
            let response = try await http.postForm(endpoint, form)
            if response.status == 200 { return .revoked }
            let detail = TokenResponse.error(in: response.body).map { " \($0.code)" } ?? ""
            return .failed("the revocation endpoint answered HTTP \(response.status)\(detail)")
        } catch {
            return .failed("\(error)")
        }
    }
}
