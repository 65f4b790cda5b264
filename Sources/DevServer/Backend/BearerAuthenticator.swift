import Foundation
import JSONWebToken
import MicroHTTP

/// Bearer token checks for the example backend, answering as RFC 6750 §3 asks.
///
/// A request with no `Authorization: Bearer` header gets a challenge without an error code; a
/// token that fails `JWTVerifier` (or was revoked) gets `invalid_token`; a valid token without
/// the tool's scope gets 403 `insufficient_scope` naming the scope needed.
struct BearerAuthenticator {
    enum Outcome {
        case anonymous
        case authenticated(JWTClaims)

        /// The token's subject; nil without a token.
        var subject: String? {
            guard case .authenticated(let claims) = self else { return nil }
            return claims.subject
        }
    }

    let context: DevServerContext
    /// The resource the request is for: its tokens, and the metadata its challenges name.
    let resource: ProtectedResource

    /// The caller's claims, `.anonymous` when no bearer token was sent.
    /// - Throws: an `OAuthError` carrying the 401 answer for an unusable token.
    func authenticate(_ request: HTTPRequest) throws(OAuthError) -> Outcome {
        guard let header = request.header("Authorization") else { return .anonymous }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .anonymous }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let claims: JWTClaims
        do {
            claims = try resource.verifier.verify(token)
        } catch {
            throw invalidToken(error.description)
        }
        let revoked = context.grants.withLock {
            $0.isRevoked(jwtID: claims.jwtID, subject: claims.subject, issuedAt: claims.issuedAt)
        }
        guard !revoked else { throw invalidToken("the token has been revoked") }
        guard let subject = claims.subject, !subject.isEmpty else { throw invalidToken("the token has no subject") }
        return .authenticated(claims)
    }

    /// The 401 for a request that needs a token and has none.
    func missingToken(_ description: String = "this tool needs a signed-in user; send a bearer token")
        -> OAuthError
    {
        var error = OAuthError(401, "unauthorized", description)
        error.headers = [("WWW-Authenticate", challenge([]))]
        return error
    }

    func invalidToken(_ description: String) -> OAuthError {
        var error = OAuthError(401, "invalid_token", description)
        error.headers = [
            (
                "WWW-Authenticate",
                challenge([
                    ("error", "invalid_token"),
                    ("error_description", description),
                ])
            )
        ]
        return error
    }

    /// The caller's claims when they may use `tool`.
    /// - Throws: the 401 or 403 answer, with its challenge.
    func authorize(_ request: HTTPRequest, for tool: ToolCatalog.Tool) throws(OAuthError) -> JWTClaims? {
        try authorize(try authenticate(request), for: tool)
    }

    /// The caller's claims when a caller already authenticated may use `tool`.
    func authorize(_ caller: Outcome, for tool: ToolCatalog.Tool) throws(OAuthError) -> JWTClaims? {
        switch (caller, tool.access) {
        case (.anonymous, .anyone): return nil
        case (.anonymous, _): throw missingToken()
        case (.authenticated(let claims), .scope(let scope)):
            guard claims.scopes.contains(scope) else { throw insufficientScope(scope) }
            return claims
        case (.authenticated(let claims), _): return claims
        }
    }

    func insufficientScope(_ scope: String) -> OAuthError {
        var error = OAuthError(403, "insufficient_scope", "this tool needs the scope \(scope)")
        error.headers = [("WWW-Authenticate", challenge([("error", "insufficient_scope"), ("scope", scope)]))]
        return error
    }

    private func challenge(_ parameters: [(String, String)]) -> String {
        let all = [("realm", "oauth-relay-dev")] + parameters + [("resource_metadata", resource.metadataURL)]
        let rendered = all.map { name, value in
            let quoted = value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "\(name)=\"\(quoted)\""
        }
        return "Bearer " + rendered.joined(separator: ", ")
    }
}
