import FoundationEssentials

/// Forwards tool listing and tool calls to the backend with a bearer token, signing in,
/// refreshing and retrying as the backend's answers require.
struct ToolRelay: Sendable {
    let backend: RESTBackend
    let authorizer: Authorizer
    let logger: Logger

    /// `tools/list`: the backend's tools, passed through untouched.
    func listTools() async throws -> JSONValue {
        let response = try await authorized { token in try await backend.listTools(token: token) }
        guard response.status == 200, let body = try? JSONValue(parsing: response.body),
            case .array(let tools)? = body["tools"]
        else {
            throw RelayError("the backend's tool list is unavailable: \(Self.describeFailure(response, listing: true))")
        }
        return ["tools": .array(tools)]
    }

    /// `tools/call`: an MCP tool result, `isError: true` for every failure a person can act on.
    func callTool(name: String, arguments: JSONValue) async throws -> JSONValue {
        let response: HTTPClientResponse
        do {
            response = try await authorized { token in
                try await backend.callTool(name: name, arguments: arguments, token: token)
            }
        } catch let error as OAuthError {
            return Self.toolError(error.message)
        } catch let error as RelayError {
            return Self.toolError(error.message)
        }
        guard response.status == 200 else {
            return Self.toolError("\(name) failed: \(Self.describeFailure(response))")
        }
        guard let result = try? JSONValue(parsing: response.body),
            result["content"]?.arrayValue != nil
        else {
            return Self.toolError("\(name) failed: the backend's answer is not an MCP tool result")
        }
        return result
    }

    /// Sends a request, first with the tokens we have (or none), then after a 401 with refreshed
    /// or new tokens — refresh, retry once, else sign in, retry once. A 403 insufficient_scope
    /// leads to one sign-in for the union of granted and requested scopes (no refresh: it
    /// cannot widen a grant).
    private func authorized(
        _ send: @Sendable (TokenSet?) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse {
        var retry = AuthorizationRetry(token: try await authorizer.currentTokens())
        var response = try await send(retry.token)
        for _ in 0..<3 {
            let challenge = AuthenticateChallenge.bearer(in: response.header("WWW-Authenticate"))
            let again = try await retry.recover(
                status: response.status, challenge: challenge, authorizer: authorizer, logger: logger,
                peer: "backend")
            guard again else { break }
            response = try await send(retry.token)
        }
        return response
    }

    static func toolError(_ message: String) -> JSONValue {
        ["content": [["type": "text", "text": .string(message)]], "isError": true]
    }

    /// A one-line account of a backend error answer: its RFC 6750 / JSON error, else its status.
    /// - Parameter listing: the failure is the tool list's (`GET /mcp/tools`), not a call's.
    static func describeFailure(_ response: HTTPClientResponse, listing: Bool = false) -> String {
        let challenge = AuthenticateChallenge.bearer(in: response.header("WWW-Authenticate"))
        let error = TokenResponse.error(in: response.body)
        let code = error?.code ?? challenge?.parameters["error"]
        let detail = error?.description ?? challenge?.parameters["error_description"]
        var text = "the backend answered HTTP \(response.status)"
        if let code { text += " \(code)" }
        if let detail { text += ": \(detail)" }
        switch response.status {
        case 401: text += ". The account's sign-in was rejected; call the tool again to sign in anew."
        case 403: text += ". The account lacks permission for this."
        // A 404 that is not the backend's "no such tool" means the URL itself is wrong.
        case 404 where listing || code != "tool_not_found", 405 where listing:
            text +=
                ". Check RELAY_BACKEND_URL: a REST backend's base URL serves GET /mcp/tools; for a remote "
                + "MCP server's endpoint, set RELAY_BACKEND_PROTOCOL=mcp."
        case 404: text += ". Check the tool name with tools/list."
        case 500...: text += ". The service failed; try again later."
        default: break
        }
        return text
    }
}
