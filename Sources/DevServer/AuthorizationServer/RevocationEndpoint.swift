import Foundation
import MicroHTTP

/// `POST /revoke` (RFC 7009). Unknown tokens are not an error: the answer is 200 either way.
struct RevocationEndpoint {
    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "POST" else { return OAuthError(405, "invalid_request", "use POST").response }
        do throws(OAuthError) {
            let parameters = try RequestParameters.form(of: request)
            let token = try parameters.required("token")
            let clientID = try parameters.optional("client_id")
            if let clientID { _ = try context.knownClient(clientID) }
            let hint = try parameters.optional("token_type_hint")
            if let hint, !["access_token", "refresh_token"].contains(hint) {
                throw OAuthError(400, "unsupported_token_type", "token_type_hint \(hint) is not supported")
            }
            let wasRefreshToken = try context.grants.withLock { state throws(OAuthError) in
                try state.revokeRefreshToken(token, clientID: clientID)
            }
            if !wasRefreshToken, let claims = context.verifyForAnyResource(token), let jwtID = claims.jwtID {
                if let clientID, clientID != claims.clientID {
                    throw OAuthError(400, "unauthorized_client", "the token was issued to another client")
                }
                context.grants.withLock { _ = $0.revokedAccessTokens.insert(jwtID) }
            }
            return .json(200, [String: String]())
        } catch {
            return error.response
        }
    }
}
