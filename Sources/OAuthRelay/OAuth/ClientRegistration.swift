import FoundationEssentials

/// Dynamic client registration (RFC 7591) as a native public client.
struct ClientRegistrar: Sendable {
    let http: HTTPClient
    let logger: Logger

    /// Registers and returns the registration to store.
    /// - Throws: `OAuthError(.registration)` with the server's reason.
    func register(at endpoint: URL, issuer: String, redirectHost: String) async throws -> ClientRegistration {
        let shownHost = redirectHost.contains(":") ? "[\(redirectHost)]" : redirectHost
        let body: JSONValue = [
            "client_name": "oauth-relay",
            "redirect_uris": [.string("http://\(shownHost)/callback")],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            "application_type": "native",
        ]
        var request = OutgoingRequest(url: endpoint)
        request.method = "POST"
        request.setHeader("Content-Type", "application/json")
        request.setHeader("Accept", "application/json")
        request.body = Data(body.serialized())
        let response: HTTPClientResponse
        do {
            response = try await http.send(request)
        } catch {
            throw OAuthError(.registration, "client registration failed: \(error)")
        }
        guard (200..<300).contains(response.status),
            let object = try? JSONValue(parsing: response.body),
            let clientID = object["client_id"]?.stringValue, !clientID.isEmpty
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
