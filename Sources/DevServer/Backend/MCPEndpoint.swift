import Foundation
import JSONWebToken
import MicroHTTP

/// The example backend as a remote MCP server at `/mcp`: the Streamable HTTP transport of the
/// MCP specification (protocol 2025-11-25 and the versions before it), serving the tools of the
/// REST form with the same access rules and the same notes.
///
/// `initialize`, `ping`, `tools/list` and `echo` need no account. A call that does gets HTTP 401
/// or 403 with an RFC 6750 challenge naming this endpoint's own protected resource metadata
/// (RFC 9728), and only tokens issued for this endpoint's resource are accepted, as the
/// specification's Authorization section asks. There is no server-initiated stream: GET is 405.
struct MCPEndpoint {
    static let path = "/mcp"
    static let supportedVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    static var serverInfo: [String: Any] { ["name": "oauth-relay-dev-server", "version": "0.1.0"] }

    /// JSON-RPC error codes.
    private enum Code {
        static let parseError = -32700
        static let invalidRequest = -32600
        static let methodNotFound = -32601
        static let invalidParams = -32602
    }

    let context: DevServerContext

    /// Checks tokens for this endpoint's own resource.
    private var authenticator: BearerAuthenticator {
        BearerAuthenticator(context: context, resource: context.mcpResource)
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        // A page in a browser must not reach a local server by DNS rebinding (the transport's
        // security warning): only loopback origins, or none, are served.
        if let origin = request.header("Origin"), !isLoopback(origin: origin) {
            return failure(403, id: nil, Code.invalidRequest, "requests from the origin \(origin) are not served")
        }
        switch request.method {
        case "POST": return post(request)
        case "DELETE": return delete(request)
        default: return HTTPResponse(status: 405, headers: [("Allow", "POST, DELETE")])
        }
    }

    private func post(_ request: HTTPRequest) -> HTTPResponse {
        let accepted = Set(
            (request.header("Accept") ?? "").split(separator: ",").compactMap { mediaType(String($0)) })
        guard accepted.isSuperset(of: ["application/json", "text/event-stream"]) else {
            return failure(
                406, id: nil, Code.invalidRequest, "the Accept header must list application/json and text/event-stream")
        }
        guard mediaType(request.header("Content-Type")) == "application/json" else {
            return failure(415, id: nil, Code.invalidRequest, "the body must be application/json")
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(request.body)) else {
            return failure(400, id: nil, Code.parseError, "parse error: the body is not JSON")
        }
        guard let message = parsed as? [String: Any] else {
            return failure(400, id: nil, Code.invalidRequest, "send one JSON-RPC message per request, not a batch")
        }
        let id = message["id"].flatMap { $0 is NSNull ? nil : $0 }
        guard message["jsonrpc"] as? String == "2.0" else {
            return failure(400, id: id, Code.invalidRequest, "jsonrpc must be \"2.0\"")
        }
        if let id, !Self.isRequestID(id) {
            return failure(400, id: nil, Code.invalidRequest, "the id must be a string or an integer")
        }
        if message["method"] != nil, !(message["method"] is String) {
            return failure(400, id: id, Code.invalidRequest, "the method must be a string")
        }
        let caller: BearerAuthenticator.Outcome
        do throws(OAuthError) {
            caller = try authenticator.authenticate(request)
        } catch {
            return error.response
        }
        let method = message["method"] as? String
        if method == "initialize", let id {
            return initialize(id: id, params: message["params"], owner: caller.subject)
        }

        guard let session = request.header("Mcp-Session-Id") else {
            return failure(400, id: id, Code.invalidRequest, "the Mcp-Session-Id header is required after initialize")
        }
        guard context.mcpSessions.use(session, by: caller.subject) != nil else {
            return failure(404, id: id, Code.invalidRequest, "the session is unknown or ended; initialize a new one")
        }
        if let version = request.header("MCP-Protocol-Version"), !Self.supportedVersions.contains(version) {
            return failure(400, id: id, Code.invalidRequest, "MCP-Protocol-Version \(version) is not supported")
        }
        // Notifications, and the client's answers to requests (this server sends none).
        guard let method, let id else { return HTTPResponse(status: 202) }

        switch method {
        case "ping": return answer(id: id, result: [String: Any]())
        case "tools/list": return answer(id: id, result: ToolCatalog.listing)
        case "tools/call": return callTool(id: id, params: message["params"], caller: caller)
        default: return answer(id: id, error: Code.methodNotFound, "method not found: \(method)")
        }
    }

    private func initialize(id: Any, params: Any?, owner: String?) -> HTTPResponse {
        let requested = (params as? [String: Any])?["protocolVersion"] as? String
        let version = requested.flatMap { Self.supportedVersions.contains($0) ? $0 : nil } ?? Self.supportedVersions[0]
        guard let session = try? context.mcpSessions.open(version: version, owner: owner) else {
            return failure(500, id: id, Code.invalidRequest, "no session id could be generated")
        }
        let result: [String: Any] = [
            "protocolVersion": version,
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": Self.serverInfo,
        ]
        return answer(id: id, result: result, headers: [("Mcp-Session-Id", session)])
    }

    private func callTool(
        id: Any, params: Any?, caller: BearerAuthenticator.Outcome
    ) -> HTTPResponse {
        guard let params = params as? [String: Any], let name = params["name"] as? String else {
            return answer(id: id, error: Code.invalidParams, "tools/call needs params.name, a string")
        }
        guard let tool = ToolCatalog.tool(named: name) else {
            return answer(id: id, error: Code.invalidParams, "unknown tool: \(name)")
        }
        let arguments = params["arguments"] ?? [String: Any]()
        guard let arguments = arguments as? [String: Any] else {
            return answer(id: id, error: Code.invalidParams, "tools/call params.arguments must be an object")
        }
        let claims: JWTClaims?
        do throws(OAuthError) {
            claims = try authenticator.authorize(caller, for: tool)
        } catch {
            return error.response
        }
        let result: [String: Any]
        do throws(ToolRunner.Failure) {
            let text = try ToolRunner(context: context).run(
                tool, argument: { arguments[$0] as? String }, claims: claims)
            result = ToolRunner.result(text)
        } catch {
            result = ToolRunner.result(error.message, isError: true)
        }
        var before: [[String: Any]] = []
        if let token = (params["_meta"] as? [String: Any])?["progressToken"], context.configuration.mcpResponses == .sse
        {
            let progress: [String: Any] = ["progressToken": token, "progress": 1, "total": 1, "message": "\(name) ran"]
            before.append(["jsonrpc": "2.0", "method": "notifications/progress", "params": progress])
        }
        return answer(id: id, result: result, before: before)
    }

    private func delete(_ request: HTTPRequest) -> HTTPResponse {
        guard let session = request.header("Mcp-Session-Id") else {
            return failure(400, id: nil, Code.invalidRequest, "the Mcp-Session-Id header names the session to end")
        }
        let caller: BearerAuthenticator.Outcome
        do throws(OAuthError) {
            caller = try authenticator.authenticate(request)
        } catch {
            return error.response
        }
        return HTTPResponse(status: context.mcpSessions.close(session, by: caller.subject) ? 200 : 404)
    }

    // MARK: - Answers

    /// A response, as JSON or as an SSE stream per the configuration; `before` are messages sent
    /// ahead of it on the stream (a JSON answer has room for the response alone).
    private func answer(
        id: Any, result: Any? = nil, error: Int? = nil, _ message: String = "",
        headers: [(name: String, value: String)] = [], before: [[String: Any]] = []
    ) -> HTTPResponse {
        var response: [String: Any] = ["jsonrpc": "2.0", "id": id]
        if let error { response["error"] = ["code": error, "message": message] } else { response["result"] = result }
        guard context.configuration.mcpResponses == .sse else { return .json(200, response, headers: headers) }
        var body: [UInt8] = []
        for event in before + [response] {
            guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.withoutEscapingSlashes])
            else { continue }
            body += Array("event: message\ndata: ".utf8) + Array(data) + Array("\n\n".utf8)
        }
        return HTTPResponse(
            status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")] + headers,
            body: body)
    }

    /// An HTTP error status with a JSON-RPC error body.
    private func failure(_ status: Int, id: Any?, _ code: Int, _ message: String) -> HTTPResponse {
        .json(status, ["jsonrpc": "2.0", "id": id ?? NSNull(), "error": ["code": code, "message": message]])
    }

    /// A string or an integer, as MCP requires of request ids. JSONSerialization reads `true`
    /// as an NSNumber too (`is Bool` holds for 0 and 1 as well), so booleans are told apart by
    /// their class.
    private static func isRequestID(_ id: Any) -> Bool {
        if id is String { return true }
        guard let number = id as? NSNumber, "\(type(of: number))" != "__NSCFBoolean" else { return false }
        return number.doubleValue == number.doubleValue.rounded()
    }

    private func mediaType(_ header: String?) -> String? {
        header?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    private func isLoopback(origin: String) -> Bool {
        guard let components = URLComponents(string: origin), let host = components.host?.lowercased() else {
            return false
        }
        return LoopbackRedirect.hosts.contains(host)
    }
}
