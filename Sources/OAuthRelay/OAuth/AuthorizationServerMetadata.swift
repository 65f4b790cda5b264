import FoundationEssentials

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
        guard let object = try? JSONValue(parsing: json), object.objectValue != nil else {
            throw OAuthError(
                .discovery,
                "the document at \(url.absoluteString) is not authorization server metadata (not a JSON object)")
        }
        func endpoint(_ name: String, required: Bool) throws -> URL? {
            guard let text = object[name]?.stringValue else {
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
        guard let issuer = object["issuer"]?.stringValue else {
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
        scopesSupported = object["scopes_supported"]?.stringArrayValue
        codeChallengeMethodsSupported = object["code_challenge_methods_supported"]?.stringArrayValue
        issParameterSupported = object["authorization_response_iss_parameter_supported"]?.boolValue ?? false
    }
}
