import Foundation

/// The fields of RFC 8414 / OpenID Connect discovery metadata the relay uses.
struct AuthorizationServerMetadata: Sendable, Equatable {
    var issuer: String
    var authorizationEndpoint: URL
    var tokenEndpoint: URL
    var registrationEndpoint: URL?
    var revocationEndpoint: URL?
    var deviceAuthorizationEndpoint: URL?
    var scopesSupported: [String]?
    /// nil when the document does not list methods at all.
    var codeChallengeMethodsSupported: [String]?
    var issParameterSupported: Bool

    /// Parses a metadata document.
    /// - Throws: `OAuthError(.discovery)` naming the missing or invalid field.
    init(json: Data, from url: URL) throws {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                throw OAuthError(.discovery, "")
            }
            object = parsed
        } catch {
            throw OAuthError(
                .discovery,
                "the document at \(url.absoluteString) is not authorization server metadata (not a JSON object)")
        }
        func endpoint(_ name: String, required: Bool) throws -> URL? {
            guard let text = object[name] as? String else {
                if required {
                    throw OAuthError(
                        .discovery,
                        "the authorization server metadata at \(url.absoluteString) has no \(name)")
                }
                return nil
            }
            guard let endpoint = URL(string: text), let scheme = endpoint.scheme?.lowercased(),
                scheme == "https" || (scheme == "http" && isLoopback(endpoint))
            else {
                throw OAuthError(
                    .discovery,
                    "the authorization server's \(name) is not an https URL; refusing to use it")
            }
            return endpoint
        }
        guard let issuer = object["issuer"] as? String else {
            throw OAuthError(
                .discovery, "the authorization server metadata at \(url.absoluteString) has no issuer")
        }
        self.issuer = issuer
        guard let authorization = try endpoint("authorization_endpoint", required: true),
            let token = try endpoint("token_endpoint", required: true)
        else { throw OAuthError(.discovery, "incomplete authorization server metadata") }
        authorizationEndpoint = authorization
        tokenEndpoint = token
        registrationEndpoint = try endpoint("registration_endpoint", required: false)
        revocationEndpoint = try endpoint("revocation_endpoint", required: false)
        deviceAuthorizationEndpoint = try endpoint("device_authorization_endpoint", required: false)
        scopesSupported = object["scopes_supported"] as? [String]
        codeChallengeMethodsSupported = object["code_challenge_methods_supported"] as? [String]
        issParameterSupported =
            (object["authorization_response_iss_parameter_supported"] as? Bool) ?? false
    }
}
