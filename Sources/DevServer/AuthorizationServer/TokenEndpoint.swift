import Foundation
import MicroHTTP

/// `POST /token`: authorization code, refresh token and device code grants (RFC 6749 §4.1.3,
/// §6; RFC 7636 §4.6; RFC 8628 §3.4).
struct TokenEndpoint {
    static let deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "POST" else {
            return OAuthError(405, "invalid_request", "use POST").response
        }
        do throws(OAuthError) {
            let parameters = try RequestParameters.form(of: request)
            let grantType = try parameters.required("grant_type")
            let clientID = try parameters.required("client_id")
            _ = try context.knownClient(clientID)
            let (grant, scopes) =
                switch grantType {
                case "authorization_code": try redeemCode(parameters, clientID: clientID)
                case "refresh_token": try refresh(parameters, clientID: clientID)
                case Self.deviceGrantType: try redeemDeviceCode(parameters, clientID: clientID)
                default:
                    throw OAuthError(400, "unsupported_grant_type", "grant_type \(grantType) is not supported")
                }
            do {
                return .json(200, try TokenIssuer(context: context).issue(for: grant, scopes: scopes))
            } catch {
                throw OAuthError(500, "server_error", "could not issue tokens")
            }
        } catch {
            return error.response
        }
    }

    private func redeemCode(_ parameters: RequestParameters, clientID: String)
        throws(OAuthError) -> (Grant, [String])
    {
        let code = try parameters.required("code")
        let redirectURI = try parameters.required("redirect_uri")
        let verifier = try parameters.required("code_verifier")
        let resource = try parameters.optional("resource")
        return try context.grants.withLock { state throws(OAuthError) -> (Grant, [String]) in
            let issued = try state.redeemCode(code, clientID: clientID)
            let request = issued.request
            // The code is spent from here on, whatever the outcome (RFC 6749 §4.1.2).
            guard redirectURI == request.redirectURI else {
                throw .invalidGrant("redirect_uri does not match the authorization request")
            }
            guard PKCE.verify(verifier, against: request.codeChallenge) else {
                throw .invalidGrant("the PKCE code_verifier does not match the code_challenge")
            }
            if let resource, resource != request.resource {
                throw OAuthError(400, "invalid_target", "the resource differs from the authorization request")
            }
            let grant: Grant
            do {
                grant = try state.createGrant(
                    user: issued.user, clientID: clientID, scopes: request.scopes, resource: request.resource)
            } catch {
                throw OAuthError(500, "server_error", "could not create the grant")
            }
            state.attach(code: code, to: grant.id)
            return (grant, grant.scopes)
        }
    }

    private func refresh(_ parameters: RequestParameters, clientID: String)
        throws(OAuthError) -> (Grant, [String])
    {
        let token = try parameters.required("refresh_token")
        let requestedScope = try parameters.optional("scope")
        let resource = try parameters.optional("resource")
        let scopes = requestedScope.map { $0.split(separator: " ").map(String.init) }
        return try context.grants.withLock { state throws(OAuthError) -> (Grant, [String]) in
            // Check the request against the grant before the token is spent by rotation.
            if let record = state.refreshTokens[token], !record.rotated,
                let grant = state.grants[record.grantID], grant.clientID == clientID
            {
                if let resource, resource != grant.resource {
                    throw OAuthError(400, "invalid_target", "the resource differs from the original grant")
                }
                if let scopes, scopes.isEmpty || !scopes.allSatisfy(grant.scopes.contains) {
                    throw OAuthError(400, "invalid_scope", "a refresh cannot add scopes the grant does not have")
                }
            }
            let grant = try state.rotateRefreshToken(token, clientID: clientID)
            return (grant, scopes ?? grant.scopes)
        }
    }

    private func redeemDeviceCode(_ parameters: RequestParameters, clientID: String)
        throws(OAuthError) -> (Grant, [String])
    {
        let deviceCode = try parameters.required("device_code")
        let consent = context.settings.current.consent
        return try context.grants.withLock { state throws(OAuthError) -> (Grant, [String]) in
            let (authorization, user) = try state.pollDevice(deviceCode, clientID: clientID, autoConsent: consent)
            do {
                let grant = try state.createGrant(
                    user: user, clientID: clientID, scopes: authorization.scopes, resource: authorization.resource)
                return (grant, grant.scopes)
            } catch {
                throw OAuthError(500, "server_error", "could not create the grant")
            }
        }
    }
}
