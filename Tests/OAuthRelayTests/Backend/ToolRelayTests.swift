import Foundation
import MicroHTTP
import Testing

@testable import OAuthRelay

/// A loopback port that nothing listens on: bound by a server that is stopped again.
func closedLoopbackURL() throws -> URL {
    let server = try HTTPServer { _ in .text(200, "") }
    let port = server.port
    server.stop()
    return try #require(URL(string: "http://127.0.0.1:\(port)"))
}

/// A relay whose backend is unreachable, over an in-memory store; no sign-in is configured.
func unreachableRelay(logger: Logger = LogRecorder().logger) throws -> ToolRelay {
    let backend = try closedLoopbackURL()
    let config = try configuration(["RELAY_BACKEND_URL": backend.absoluteString])
    let http = HTTPClient(timeout: 5)
    let authorizer = Authorizer(configuration: config, store: MemoryTokenStore(), http: http, logger: logger)
    return ToolRelay(backend: RESTBackend(baseURL: backend, http: http), authorizer: authorizer, logger: logger)
}

private func response(_ status: Int, body: String = "", challenge: String? = nil) -> HTTPClientResponse {
    var headers: [String: String] = [:]
    if let challenge { headers["www-authenticate"] = challenge }
    return HTTPClientResponse(status: status, headers: headers, body: Data(body.utf8))
}

@Suite("ToolRelay")
struct ToolRelayTests {
    @Test(
        "union keeps granted scopes first, adds new ones once, in order",
        arguments: [
            (nil as String?, "notes:write", "notes:write"),
            ("notes:read", "notes:write", "notes:read notes:write"),
            ("notes:read notes:write", "notes:write", "notes:read notes:write"),
            ("a  b", "b c  a d", "a b c d"),
            ("", "", ""),
        ])
    func union(granted: String?, required: String, expected: String) {
        #expect(AuthorizationRetry.union(granted, required) == expected)
    }

    @Test(
        "describeFailure names status, error and description, with advice per status",
        arguments: [
            (
                response(404, body: #"{"error":"tool_not_found","error_description":"no tool x"}"#),
                "the backend answered HTTP 404 tool_not_found: no tool x. Check the tool name with tools/list."
            ),
            (
                response(401, challenge: #"Bearer error="invalid_token", error_description="expired""#),
                "the backend answered HTTP 401 invalid_token: expired. "
                    + "The account's sign-in was rejected; call the tool again to sign in anew."
            ),
            (
                response(403, body: #"{"error":"insufficient_scope"}"#),
                "the backend answered HTTP 403 insufficient_scope. The account lacks permission for this."
            ),
            (
                response(503, body: "<html>down</html>"),
                "the backend answered HTTP 503. The service failed; try again later."
            ),
            (response(400, body: #"{"error":"invalid_request"}"#), "the backend answered HTTP 400 invalid_request"),
        ])
    func describeFailure(response: HTTPClientResponse, expected: String) {
        #expect(ToolRelay.describeFailure(response) == expected)
    }

    @Test("a tool list that is not there points at the URL and the protocol, not at a tool name")
    func listingFailure() {
        let text = ToolRelay.describeFailure(response(404, body: "not found"), listing: true)
        #expect(text.contains("RELAY_BACKEND_URL") && text.contains("RELAY_BACKEND_PROTOCOL=mcp"), "\(text)")
        #expect(!text.contains("tool name"))
        // A call's 404 without the backend's tool_not_found: the URL is wrong, not the tool.
        let call = ToolRelay.describeFailure(response(404, body: #"{"error":"not_found"}"#))
        #expect(call.contains("RELAY_BACKEND_URL") && !call.contains("tool name"), "\(call)")
    }

    @Test("the JSON error body wins over the challenge when both are present")
    func bodyOverChallenge() {
        let both = response(401, body: #"{"error":"from_body"}"#, challenge: #"Bearer error="from_header""#)
        #expect(ToolRelay.describeFailure(both).hasPrefix("the backend answered HTTP 401 from_body."))
    }

    @Test("toolError is an MCP tool result flagged as an error")
    func toolError() {
        #expect(
            ToolRelay.toolError("it broke") == ["content": [["type": "text", "text": "it broke"]], "isError": true])
    }

    @Test("a call to an unreachable backend is a tool error that names the setting to check")
    func unreachable() async throws {
        let result = try await unreachableRelay().callTool(name: "echo", arguments: ["message": "hi"])
        #expect(result["isError"] == true)
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.contains("unreachable"))
        #expect(text.contains("RELAY_BACKEND_URL"))
    }
}
