import Testing

@testable import OAuthRelay

private func server() throws -> MCPServer {
    let log = LogRecorder()
    return MCPServer(relay: try unreachableRelay(logger: log.logger), logger: log.logger)
}

@Suite("MCPServer")
struct MCPServerTests {
    @Test("initialize echoes each supported protocol version", arguments: MCPServer.supportedVersions)
    func supportedVersion(version: String) async throws {
        let params: JSONValue = ["protocolVersion": .string(version)]
        let answer = try await server().respond(id: 1, method: "initialize", params: params)
        #expect(answer["id"] == 1)
        #expect(answer["result"]?["protocolVersion"] == .string(version))
        #expect(answer["result"]?["serverInfo"]?["name"] == "oauth-relay")
        #expect(answer["result"]?["capabilities"]?["tools"] != nil)
    }

    @Test(
        "initialize answers the newest version for an unknown, missing or malformed one",
        arguments: [
            ["protocolVersion": "1999-01-01"], ["protocolVersion": 20250618], [:], nil,
        ] as [JSONValue?])
    func unknownVersion(params: JSONValue?) async throws {
        let answer = try await server().respond(id: "a", method: "initialize", params: params)
        #expect(answer["result"]?["protocolVersion"] == "2025-11-25")
        #expect(answer["id"] == "a")
    }

    @Test("ping answers an empty result")
    func ping() async throws {
        #expect(
            try await server().respond(id: 2, method: "ping", params: nil) == [
                "jsonrpc": "2.0", "id": 2, "result": [:],
            ])
    }

    @Test("an unknown method is a method-not-found error")
    func unknownMethod() async throws {
        let answer = try await server().respond(id: 3, method: "resources/list", params: nil)
        #expect(answer["error"]?["code"] == .int(JSONRPCErrorCode.methodNotFound))
        #expect(answer["error"]?["message"] == "method not found: resources/list")
    }

    @Test(
        "tools/call with a missing name or non-object arguments is an invalid-params error",
        arguments: [
            nil, [:], ["name": ""], ["name": 5], ["name": "echo", "arguments": [1, 2]],
            ["name": "echo", "arguments": "x"],
        ] as [JSONValue?])
    func invalidToolCall(params: JSONValue?) async throws {
        let answer = try await server().respond(id: 4, method: "tools/call", params: params)
        #expect(answer["error"]?["code"] == .int(JSONRPCErrorCode.invalidParams))
        #expect(answer["result"] == nil)
    }

    @Test("tools/list against an unreachable backend is an internal error with a readable message")
    func listUnreachable() async throws {
        let answer = try await server().respond(id: 5, method: "tools/list", params: nil)
        #expect(answer["error"]?["code"] == .int(JSONRPCErrorCode.internalError))
        #expect(answer["error"]?["message"]?.stringValue?.contains("RELAY_BACKEND_URL") == true)
    }
}
