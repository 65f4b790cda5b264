import Foundation
import Testing

@testable import OAuthRelay

/// The relay as a proxy in front of the dev server's own MCP endpoint: OAuth as the MCP
/// specification's Authorization section describes it, against a real authorization server.
@Suite("Proxy in front of the dev server's MCP endpoint", .serialized)
struct DevServerMCPTests {
    /// Only RELAY_BACKEND_URL: no issuer, no client id.
    static let discover = ["RELAY_AUTH_SERVER_URL": "", "RELAY_CLIENT_ID": ""]

    @Test("RELAY_BACKEND_URL alone: discovery from the 401, registration, sign-in for the endpoint's resource")
    func discoveryFromTheEndpoint() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(Self.discover, form: .mcp)
        let whoami = try await relay.use("whoami")
        #expect(!whoami.failed, "\(whoami.text)")
        #expect(whoami.text.contains("alice"))
        let resource = bed.server.baseURL + "/mcp"
        #expect(try await bed.count("GET /.well-known/oauth-protected-resource/mcp") >= 1)
        #expect(try await bed.count("POST /register") == 1)
        let authorize = try #require(try await bed.requests(to: "/authorize").first)
        #expect(authorize["params"]?["resource"]?.stringValue == resource)
        let token = try #require(try await bed.tokenRequests(grantType: "authorization_code").first)
        #expect(token["params"]?["resource"]?.stringValue == resource)
        let stored = try #require(try bed.storedEntries()?.objectValue?.values.first)
        #expect(stored["resource"]?.stringValue == resource)
        _ = try await relay.finish()

        // A second process reuses the registration and the tokens: no new sign-in, and the token
        // rides on its very first request, so there is no 401 and no discovery.
        let probes = try await bed.count("GET /.well-known/oauth-protected-resource/mcp")
        let again = try await bed.startRelay(Self.discover, form: .mcp)
        #expect(try await again.use("whoami").text.contains("alice"))
        #expect(try await bed.count("POST /register") == 1)
        #expect(try await bed.count("GET /authorize") == 1)
        #expect(try await bed.count("GET /.well-known/oauth-protected-resource/mcp") == probes)
        _ = try await again.finish()
    }

    @Test("the server forgets the session: the relay initializes again and the call goes on")
    func sessionForgotten() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(form: .mcp)
        #expect(try await relay.use("echo", ["message": "one"]).text == "one")
        try await bed.control("mcp-forget-sessions")
        let after = try await relay.use("echo", ["message": "two"])
        #expect(after.text == "two" && !after.failed)
        // initialize, initialized, echo; the refused echo; initialize, initialized, the echo again.
        #expect(try await bed.count("POST /mcp") == 7)
        _ = try await relay.finish()
    }

    @Test("step-up: a token without the scope meets 403 insufficient_scope; one sign-in for the union")
    func stepUp() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_SCOPES": "notes:read"], form: .mcp)
        #expect(try await relay.use("read_notes").text.contains("no notes"))
        let created = try await relay.use("create_note", ["text": "through the proxy"])
        #expect(!created.failed, "\(created.text)")
        let authorizations = try await bed.requests(to: "/authorize")
        #expect(authorizations.count == 2)
        let scopes = authorizations.last?["params"]?["scope"]?.stringValue?.split(separator: " ").map(String.init)
        #expect(Set(scopes ?? []) == ["notes:read", "notes:write"])
        #expect(try await relay.use("read_notes").text.contains("through the proxy"))
        _ = try await relay.finish()
    }

    @Test("SSE answers: a progress notification reaches the host before the result")
    func sseProgress() async throws {
        let bed = try TestBed { $0.mcpResponses = .sse }
        let relay = try await bed.startRelay(form: .mcp)
        let params: JSONValue = [
            "name": "echo", "arguments": ["message": "streamed"], "_meta": ["progressToken": "p-7"],
        ]
        let answer = try await relay.request("tools/call", params: params)
        #expect(answer["result"]?.toolText == "streamed")
        let lines = relay.stdout
        let progress = try #require(lines.firstIndex { $0.contains("notifications/progress") && $0.contains("p-7") })
        let result = try #require(lines.firstIndex { $0.contains("\"streamed\"") })
        #expect(progress < result)
        _ = try await relay.finish()
    }

    @Test("the REST form and the MCP endpoint are two resources: each has its own sign-in and stored entry")
    func audienceBoundTokens() async throws {
        let bed = try TestBed()
        let rest = try await bed.startRelay()
        _ = try await rest.use("whoami")
        _ = try await rest.finish()
        // The same issuer and client, but another resource: its own sign-in and its own entry.
        let proxy = try await bed.startRelay(form: .mcp)
        #expect(try await proxy.use("whoami").text.contains("alice"))
        #expect(try await bed.count("GET /authorize") == 2)
        let resources = try bed.storedEntries()?.objectValue?.values.compactMap { $0["resource"]?.stringValue }
        #expect(Set(resources ?? []) == [bed.server.baseURL, bed.server.baseURL + "/mcp"])
        _ = try await proxy.finish()
    }

    @Test("a URL that is not an MCP endpoint: clear errors, and nothing but JSON-RPC on stdout")
    func notAnEndpoint() async throws {
        let bed = try TestBed()
        // The REST form's tool list: POST is 405, and GET answers plain JSON, not an event stream.
        let relay = try RelayProcess(
            environment: bed.relayEnvironment(["RELAY_BACKEND_URL": bed.server.baseURL + "/mcp/tools"]))
        let answer = try await relay.initialize()
        #expect(answer["error"]?["message"]?.stringValue?.contains("HTTP 405") == true)
        #expect(try await relay.request("ping")["error"] != nil)
        _ = try await relay.finish()
        for line in relay.stdout {
            let message = try JSONValue(parsing: Array(line.utf8))
            #expect(message["jsonrpc"] == "2.0" && message["error"] != nil, "\(line)")
        }
        #expect(relay.stdout.count == 2)
    }
}
