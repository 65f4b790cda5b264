import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Dynamic client registration (RFC 7591) as a native public client.
struct ClientRegistrar: Sendable {
    let http: HTTPClient
    let logger: Logger

    /// Registers and returns the registration to store.
    /// - Throws: `OAuthError(.registration)` with the server's reason.
    func register(at endpoint: URL, issuer: String, redirectHost: String) async throws -> ClientRegistration {
        let shownHost = redirectHost.contains(":") ? "[\(redirectHost)]" : redirectHost
        let body: [String: Any] = [
            "client_name": "oauth-relay",
            "redirect_uris": ["http://\(shownHost)/callback"],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            "application_type": "native",
        ]
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let response: HTTPClientResponse
        do {
            response = try await http.send(request)
        } catch {
            throw OAuthError(.registration, "client registration failed: \(error)")
        }
        guard (200..<300).contains(response.status),
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let clientID = object["client_id"] as? String, !clientID.isEmpty
        else {
            let reason =
                TokenResponse.error(in: response.body).map {
                    "\($0.code)\($0.description.map { ": \($0)" } ?? "")"
                } ?? "HTTP \(response.status)"
            throw OAuthError(
                .registration,
                "the authorization server refused dynamic client registration (\(reason)); "
                    + "register a client by hand and set RELAY_CLIENT_ID")
        }
        logger.info("registered as a new OAuth client", ["oauth.client_id": clientID])
        return ClientRegistration(
            issuer: issuer, clientID: clientID, redirectURIs: ["http://\(shownHost)/callback"])
    }
}
