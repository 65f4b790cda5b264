import Foundation
import MicroHTTP

/// `GET /authorize` and the consent form's `POST /authorize` (RFC 6749 §4.1, RFC 7636, RFC 9207).
struct AuthorizeEndpoint {
    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        request.method == "POST" ? decide(request) : start(request)
    }

    // MARK: - GET: validate, then show the page or decide automatically

    private func start(_ request: HTTPRequest) -> HTTPResponse {
        let parameters = RequestParameters.query(of: request)
        // Until client and redirect URI are trusted, errors go on a page, never to the redirect.
        let clientID: String
        let redirectURI: String
        do throws(OAuthError) {
            clientID = try parameters.required("client_id")
            let client = try context.knownClient(clientID)
            redirectURI = try parameters.required("redirect_uri")
            guard context.clients.accepts(redirectURI, for: client) else {
                throw .invalidRequest("the redirect_uri is not a registered loopback address for this client")
            }
        } catch {
            return HTMLPage.error(400, title: "Sign-in request refused", message: error.description)
        }

        let state = parameters["state"]
        let authorization: AuthorizationRequest
        do throws(OAuthError) {
            authorization = try validate(parameters, clientID: clientID, redirectURI: redirectURI)
        } catch {
            return redirect(
                to: redirectURI, state: state,
                [
                    ("error", error.code),
                    ("error_description", error.description),
                ])
        }

        switch context.settings.current.consent {
        case .approve(let user): return approve(authorization, user: user)
        case .deny: return deny(authorization)
        case .page:
            do {
                let requestID = try context.grants.withLock { try $0.addPending(authorization) }
                return ConsentPage.render(requestID: requestID, request: authorization, context: context)
            } catch {
                return HTMLPage.error(500, title: "Server error", message: "could not start the sign-in")
            }
        }
    }

    private func validate(_ parameters: RequestParameters, clientID: String, redirectURI: String)
        throws(OAuthError) -> AuthorizationRequest
    {
        let responseType = try parameters.required("response_type")
        guard responseType == "code" else {
            throw OAuthError(400, "unsupported_response_type", "only response_type=code is supported")
        }
        let state = try parameters.optional("state")
        guard let challenge = try parameters.optional("code_challenge") else {
            throw .invalidRequest("PKCE is required: code_challenge is missing")
        }
        guard try parameters.optional("code_challenge_method") == "S256" else {
            throw .invalidRequest("code_challenge_method must be S256")
        }
        guard PKCE.isValidChallenge(challenge) else {
            throw .invalidRequest("code_challenge must be 43 base64url characters (S256)")
        }
        let scopes = try context.grantedScopes(for: try parameters.optional("scope"))
        let resource = try context.audience(for: try parameters.optional("resource"))
        return AuthorizationRequest(
            clientID: clientID, redirectURI: redirectURI, scopes: scopes, resource: resource,
            state: state, codeChallenge: challenge)
    }

    // MARK: - POST: the user's decision from the consent form

    private func decide(_ request: HTTPRequest) -> HTTPResponse {
        let origin = request.header("Origin")
        if let origin, origin != "null", origin != context.baseURL {
            return HTMLPage.error(403, title: "Sign-in refused", message: "the form was sent from another site")
        }
        guard let form = try? RequestParameters.form(of: request),
            let requestID = form["request_id"],
            let pending = context.grants.withLock({ $0.takePending(requestID) })
        else {
            return HTMLPage.error(
                400, title: "Sign-in expired",
                message: "This sign-in request is unknown, expired or already answered. Start again.")
        }
        guard form["decision"] == "approve" else { return deny(pending) }
        let user = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        guard UserName.isValid(user) else {
            return HTMLPage.error(400, title: "Sign-in refused", message: "Enter a user name (1–64 characters).")
        }
        return approve(pending, user: user)
    }

    // MARK: - Answers

    private func approve(_ authorization: AuthorizationRequest, user: String) -> HTTPResponse {
        do {
            let code = try context.grants.withLock {
                try $0.issueCode(for: authorization, user: user, lifetime: context.configuration.codeLifetime)
            }
            return redirect(to: authorization.redirectURI, state: authorization.state, [("code", code)])
        } catch {
            return redirect(
                to: authorization.redirectURI, state: authorization.state,
                [("error", "server_error")])
        }
    }

    private func deny(_ authorization: AuthorizationRequest) -> HTTPResponse {
        redirect(
            to: authorization.redirectURI, state: authorization.state,
            [("error", "access_denied"), ("error_description", "the user denied the request")])
    }

    /// Adds the parameters, `state` and `iss` (RFC 9207) to the redirect URI's query.
    private func redirect(to redirectURI: String, state: String?, _ pairs: [(name: String, value: String)])
        -> HTTPResponse
    {
        var all = pairs
        if let state { all.append(("state", state)) }
        switch context.settings.current.issuerParameter {
        case .normal: all.append(("iss", context.issuer))
        case .wrong: all.append(("iss", "https://impostor.example.test"))
        case .missing: break
        }
        let separator = redirectURI.contains("?") ? "&" : "?"
        return .redirect(to: redirectURI + separator + FormEncoding.encode(all))
    }
}
