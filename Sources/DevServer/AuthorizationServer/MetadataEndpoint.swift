import MicroHTTP

/// Authorization server metadata (RFC 8414) and its OpenID Connect Discovery twin, at the
/// well-known locations RFC 8414 §3.1 derives from an issuer with or without a path.
struct MetadataEndpoint {
    let context: DevServerContext

    enum Kind { case oauth, openID }

    /// Which document `path` names, if any.
    func kind(of path: String) -> Kind? {
        let issuerPath = context.configuration.issuer == nil ? context.configuration.issuerPath : ""
        let oauthPaths = ["/.well-known/oauth-authorization-server" + issuerPath]
        let openIDPaths =
            issuerPath.isEmpty
            ? ["/.well-known/openid-configuration"]
            : ["/.well-known/openid-configuration" + issuerPath, issuerPath + "/.well-known/openid-configuration"]
        if oauthPaths.contains(path) { return .oauth }
        if openIDPaths.contains(path) { return .openID }
        return nil
    }

    func handle(_ kind: Kind) -> HTTPResponse {
        let variant = context.settings.current.metadataVariant
        if variant == .htmlMetadata {
            return .html(200, HTMLPage.render(title: "Welcome", body: "<p>This is not a metadata document.</p>"))
        }
        if variant == .oidcOnly && kind == .oauth {
            return .json(404, ["error": "not_found", "error_description": "no such document"])
        }
        return .json(200, document(variant: variant, kind: kind))
    }

    private func document(variant: MetadataVariant, kind: Kind) -> [String: Any] {
        let base = context.baseURL
        var document: [String: Any] = [
            "issuer": variant == .wrongIssuer ? context.issuer + "/other-tenant" : context.issuer,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "revocation_endpoint": base + "/revoke",
            "registration_endpoint": base + "/register",
            "device_authorization_endpoint": base + "/device_authorization",
            "scopes_supported": context.advertisedScopes,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": RegistrationEndpoint.supportedGrantTypes,
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "revocation_endpoint_auth_methods_supported": ["none"],
            "authorization_response_iss_parameter_supported": true,
        ]
        switch variant {
        case .noCodeChallengeMethods: document["code_challenge_methods_supported"] = nil
        case .plainOnly: document["code_challenge_methods_supported"] = ["plain"]
        default: break
        }
        if kind == .openID {
            // Fields OpenID Connect Discovery requires; this server issues no ID tokens.
            document["subject_types_supported"] = ["public"]
            document["id_token_signing_alg_values_supported"] = ["HS256"]
            document["jwks_uri"] = base + "/.well-known/jwks.json"
        }
        return document
    }
}
