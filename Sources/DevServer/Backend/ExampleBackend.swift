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
            let authenticator = BearerAuthenticator(context: context, resource: context.restResource)
            let claims = try authenticator.authorize(request, for: tool)
            let arguments = try Self.arguments(of: request)
            let text = try run(tool, arguments: arguments, claims: claims)
            return .json(200, ToolRunner.result(text))
        } catch {
            return error.response
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
        throws(OAuthError) -> String
    {
        do throws(ToolRunner.Failure) {
            return try ToolRunner(context: context).run(tool, argument: { arguments[$0]?.stringValue }, claims: claims)
        } catch {
            throw error.isCallersFault
                ? .invalidRequest(error.message) : OAuthError(500, "tool_execution_error", error.message)
        }
    }

    private func methodNotAllowed() -> HTTPResponse {
        OAuthError(405, "invalid_request", "method not allowed").response
    }
}
