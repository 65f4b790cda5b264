import JSONWebToken
import MicroHTTP

/// The example backend: `GET /mcp/tools`, `POST /mcp/tools/{name}` and `GET /health`.
///
/// It is stateless towards callers apart from the notes: every request is authorised from its
/// JWT alone (plus the in-process revocation list tests use).
struct ExampleBackend {
    static let toolPathPrefix = "/mcp/tools/"

    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        if request.path == "/health" { return .json(200, ["status": "ok"]) }
        if request.path == "/mcp/tools" {
            guard request.method == "GET" else { return methodNotAllowed() }
            return .json(200, ToolCatalog.listing)
        }
        guard request.method == "POST" else { return methodNotAllowed() }
        let name = String(request.path.dropFirst(Self.toolPathPrefix.count))
        guard let tool = ToolCatalog.tool(named: name) else {
            return .json(404, ["error": "tool_not_found", "error_description": "there is no tool \(name)"])
        }
        do throws(OAuthError) {
            let claims = try authorise(request, for: tool)
            let arguments = try Self.arguments(of: request)
            return .json(200, try run(tool, arguments: arguments, claims: claims))
        } catch {
            return error.response
        }
    }

    private func authorise(_ request: HTTPRequest, for tool: ToolCatalog.Tool) throws(OAuthError) -> JWTClaims? {
        let authenticator = BearerAuthenticator(context: context)
        let outcome = try authenticator.authenticate(request)
        switch (outcome, tool.access) {
        case (.anonymous, .anyone): return nil
        case (.anonymous, _): throw authenticator.missingToken()
        case (.authenticated(let claims), .scope(let scope)):
            guard claims.scopes.contains(scope) else { throw authenticator.insufficientScope(scope) }
            return claims
        case (.authenticated(let claims), _): return claims
        }
    }

    /// `{"arguments":{…}}`; an empty body means no arguments.
    private static func arguments(of request: HTTPRequest) throws(OAuthError) -> [String: JSONValue] {
        guard !request.body.isEmpty else { return [:] }
        guard let body = JSONValue.parseObject(request.body) else {
            throw .invalidRequest("the body must be a JSON object like {\"arguments\":{}}")
        }
        switch body["arguments"] {
        case nil, .null?: return [:]
        case .object(let arguments)?: return arguments
        default: throw .invalidRequest("arguments must be a JSON object")
        }
    }

    private func run(_ tool: ToolCatalog.Tool, arguments: [String: JSONValue], claims: JWTClaims?)
        throws(OAuthError) -> [String: Any]
    {
        let user = claims?.subject ?? ""
        switch tool.name {
        case "echo":
            guard let message = arguments["message"]?.stringValue else {
                throw .invalidRequest("echo needs a string argument message")
            }
            return Self.result(message)
        case "whoami":
            let scopes = claims?.scope ?? ""
            return Self.result("You are \(user) (client \(claims?.clientID ?? "unknown"), scopes: \(scopes)).")
        case "read_notes":
            let notes = context.notes.notes(of: user)
            if notes.isEmpty { return Self.result("\(user) has no notes yet.") }
            let lines = notes.enumerated().map { "\($0.offset + 1). \($0.element)" }
            return Self.result("Notes of \(user):\n" + lines.joined(separator: "\n"))
        case "create_note":
            guard let text = arguments["text"]?.stringValue, !text.isEmpty else {
                throw .invalidRequest("create_note needs a non-empty string argument text")
            }
            let count = context.notes.add(text, for: user)
            return Self.result("Saved note \(count) for \(user).")
        default:
            throw OAuthError(500, "tool_execution_error", "the tool \(tool.name) has no implementation")
        }
    }

    private static func result(_ text: String) -> [String: Any] {
        ["content": [["type": "text", "text": text]], "isError": false]
    }

    private func methodNotAllowed() -> HTTPResponse {
        OAuthError(405, "invalid_request", "method not allowed").response
    }
}
