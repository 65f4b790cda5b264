import Foundation
import Testing

@testable import DevServer

/// The example backend as a remote MCP server: the Streamable HTTP transport at `/mcp`.
@Suite("MCP endpoint: Streamable HTTP transport, sessions and authorization")
struct MCPEndpointTests {
    static let accept = "application/json, text/event-stream"

    struct Client {
        let fixture: DevServerFixture
        var session: String?
        var token: String?

        init(_ fixture: DevServerFixture) { self.fixture = fixture }

        var url: String { fixture.base + "/mcp" }

        func post(_ body: String, headers extra: [String: String] = [:]) async throws -> TestResponse {
            var headers = ["Accept": MCPEndpointTests.accept, "Content-Type": "application/json"]
            if let session { headers["Mcp-Session-Id"] = session }
            if let token { headers["Authorization"] = "Bearer \(token)" }
            headers.merge(extra) { _, new in new }
            return try await fixture.http.request("POST", url, headers: headers, body: Data(body.utf8))
        }

        func call(_ id: Int, _ method: String, _ params: String = "{}") async throws -> TestResponse {
            try await post(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        }

        /// initialize + notifications/initialized; keeps the session id.
        mutating func start(version: String = "2025-11-25") async throws -> TestResponse {
            let params = #"{"protocolVersion":"\#(version)","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"#
            let answer = try await call(1, "initialize", params)
            session = answer.header("Mcp-Session-Id")
            let initialized = try await post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            #expect(initialized.status == 202)
            return answer
        }

        func tool(_ name: String, _ arguments: String = "{}") async throws -> TestResponse {
            try await call(7, "tools/call", #"{"name":"\#(name)","arguments":\#(arguments)}"#)
        }
    }

    private func result(_ response: TestResponse) -> [String: Any] { response.json["result"] as? [String: Any] ?? [:] }

    private func text(_ response: TestResponse) -> String? {
        ((result(response)["content"] as? [[String: Any]])?.first)?["text"] as? String
    }

    @Test("initialize negotiates a version and opens a session; later requests need it; DELETE ends it")
    func lifecycle() async throws {
        let fixture = try DevServerFixture()
        var client = Client(fixture)
        let answer = try await client.start(version: "2025-03-26")
        #expect(answer.status == 200)
        #expect(result(answer)["protocolVersion"] as? String == "2025-03-26")
        #expect((result(answer)["serverInfo"] as? [String: Any])?["name"] as? String == "oauth-relay-dev-server")
        let session = try #require(client.session)
        #expect(session.utf8.allSatisfy { (0x21...0x7E).contains($0) })

        let listed = try await client.call(2, "tools/list")
        let names = (result(listed)["tools"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["echo", "whoami", "read_notes", "create_note"])
        #expect(try await client.call(3, "ping").json["result"] != nil)
        #expect(
            try await client.call(4, "no/such").json["error"].map { ($0 as? [String: Any])?["code"] as? Int } == -32601)

        var unknown = client
        unknown.session = "not-a-session"
        #expect(try await unknown.call(5, "ping").status == 404)
        var none = client
        none.session = nil
        #expect(try await none.call(6, "ping").status == 400)

        let headers = ["Mcp-Session-Id": session]
        #expect(try await fixture.http.request("DELETE", client.url, headers: headers).status == 200)
        #expect(try await client.call(8, "ping").status == 404)
        #expect(try await fixture.http.request("DELETE", client.url, headers: headers).status == 404)

        let newest = try await Client(fixture).call(1, "initialize", #"{"protocolVersion":"1999-01-01"}"#)
        #expect(result(newest)["protocolVersion"] as? String == "2025-11-25")
    }

    @Test("transport rules: Accept, Content-Type, one message per POST, no GET stream, loopback origins only")
    func transportRules() async throws {
        let fixture = try DevServerFixture()
        var client = Client(fixture)
        _ = try await client.start()
        let ping = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#
        #expect(try await client.post(ping, headers: ["Accept": "application/json"]).status == 406)
        #expect(try await client.post(ping, headers: ["Content-Type": "text/plain"]).status == 415)
        #expect(try await client.post("[" + ping + "]").status == 400)
        let garbage = try await client.post("{not json")
        #expect(garbage.status == 400)
        #expect((garbage.json["error"] as? [String: Any])?["code"] as? Int == -32700)
        #expect(try await client.post(#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#).status == 400)
        #expect(try await client.post(ping, headers: ["MCP-Protocol-Version": "1999-01-01"]).status == 400)
        #expect(try await client.post(ping, headers: ["MCP-Protocol-Version": "2025-06-18"]).status == 200)
        #expect(try await client.post(ping, headers: ["Origin": "https://evil.example"]).status == 403)
        #expect(try await client.post(ping, headers: ["Origin": "http://localhost:3000"]).status == 200)
        let get = try await fixture.http.get(client.url, headers: ["Accept": "text/event-stream"])
        #expect(get.status == 405)
        let answer = #"{"jsonrpc":"2.0","id":"s-1","result":{}}"#
        #expect(try await client.post(answer).status == 202)
        for id in ["true", "{}", "[1]", "1.5"] {
            #expect(try await client.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#).status == 400, "id \(id)")
        }
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":0,"method":"ping"}"#).status == 200)
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":7,"method":5}"#).status == 400)
        let lookalike = "application/jsonx, text/event-streamy"
        #expect(try await client.post(ping, headers: ["Accept": lookalike]).status == 406)
        #expect(
            try await client.post(ping, headers: ["Accept": "text/event-stream;q=0.9, application/json"]).status == 200)
    }

    @Test("echo needs no account; whoami gets a 401 naming this endpoint's own resource metadata")
    func challenge() async throws {
        let fixture = try DevServerFixture()
        var client = Client(fixture)
        _ = try await client.start()
        #expect(text(try await client.tool("echo", #"{"message":"hi"}"#)) == "hi")
        let refused = try await client.tool("whoami")
        #expect(refused.status == 401)
        let metadataURL = fixture.base + "/.well-known/oauth-protected-resource/mcp"
        #expect(refused.header("WWW-Authenticate")?.contains(#"resource_metadata="\#(metadataURL)""#) == true)
        let metadata = try await fixture.http.get(metadataURL)
        #expect(metadata.json["resource"] as? String == fixture.base + "/mcp")
        #expect(metadata.json["authorization_servers"] as? [String] == [fixture.server.issuer])
    }

    @Test("only tokens issued for the MCP endpoint's resource are taken there, and not at the REST form")
    func audience() async throws {
        let fixture = try DevServerFixture()
        let mcp = try #require(try await fixture.signIn(resource: fixture.base + "/mcp")["access_token"] as? String)
        let rest = try #require(try await fixture.signIn(resource: fixture.base)["access_token"] as? String)
        var client = Client(fixture)
        _ = try await client.start()
        client.token = mcp
        #expect(text(try await client.tool("whoami"))?.contains("alice") == true)
        client.token = rest
        let wrong = try await client.tool("whoami")
        #expect(wrong.status == 401 && wrong.error == "invalid_token")
        #expect(try await fixture.callTool("whoami", token: mcp).status == 401)
        #expect(try await fixture.callTool("whoami", token: rest).status == 200)
        let (_, challenge) = try DevServerFixture.pkce()
        let foreign = try await fixture.http.get(
            fixture.authorizeURL(challenge: challenge, extra: [("resource", fixture.base + "/other")]))
        #expect(foreign.redirectParameters["error"] == "invalid_target")
    }

    @Test("scopes as in the REST form: 403 insufficient_scope names the scope; notes are shared per user")
    func scopes() async throws {
        let fixture = try DevServerFixture()
        let readOnly = try #require(
            try await fixture.signIn(scope: "notes:read", resource: fixture.base + "/mcp")["access_token"] as? String)
        var client = Client(fixture)
        _ = try await client.start()
        client.token = readOnly
        let denied = try await client.tool("create_note", #"{"text":"x"}"#)
        #expect(denied.status == 403)
        #expect(denied.header("WWW-Authenticate")?.contains(#"scope="notes:write""#) == true)
        #expect(text(try await client.tool("read_notes")) == "alice has no notes yet.")
    }

    @Test("tool mistakes: an unknown tool is a protocol error, bad arguments a tool result with isError")
    func toolErrors() async throws {
        let fixture = try DevServerFixture()
        var client = Client(fixture)
        _ = try await client.start()
        let unknown = try await client.tool("nonexistent")
        #expect((unknown.json["error"] as? [String: Any])?["code"] as? Int == -32602)
        let badArguments = try await client.tool("echo", #"{"message":5}"#)
        #expect(result(badArguments)["isError"] as? Bool == true)
        #expect(text(badArguments)?.contains("message") == true)
        #expect((try await client.call(9, "tools/call", #"{"name":"echo","arguments":[]}"#).json["error"]) != nil)
    }

    @Test("SSE answers: the response as an event stream, a progress notification before it when asked")
    func sseAnswers() async throws {
        let fixture = try DevServerFixture { $0.mcpResponses = .sse }
        var client = Client(fixture)
        let initialize = try await client.start()
        #expect(initialize.header("Content-Type") == "text/event-stream")
        let params = #"{"name":"echo","arguments":{"message":"hi"},"_meta":{"progressToken":"p-1"}}"#
        let answer = try await client.call(2, "tools/call", params)
        let events = answer.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == 2)
        #expect(events.first?.contains(#""method":"notifications/progress""#) == true)
        #expect(events.first?.contains(#""progressToken":"p-1""#) == true)
        #expect(events.last?.hasPrefix("event: message\ndata: {") == true)
        #expect(events.last?.contains(#""text":"hi""#) == true)
    }

    @Test("a session belongs to the user whose token first uses it; to anyone else it does not exist")
    func sessionOwner() async throws {
        let fixture = try DevServerFixture()
        let resource = fixture.base + "/mcp"
        let alice = try #require(try await fixture.signIn(as: "alice", resource: resource)["access_token"] as? String)
        let bob = try #require(try await fixture.signIn(as: "bob", resource: resource)["access_token"] as? String)

        // Opened with alice's token: bob's token and no token both meet a 404, as for an ended session.
        var owned = Client(fixture)
        owned.token = alice
        _ = try await owned.start()
        #expect(text(try await owned.tool("whoami"))?.contains("alice") == true)
        var stranger = owned
        stranger.token = bob
        #expect(try await stranger.tool("whoami").status == 404)
        var anonymous = owned
        anonymous.token = nil
        #expect(try await anonymous.call(2, "ping").status == 404)
        let session = try #require(owned.session)
        let asBob = ["Mcp-Session-Id": session, "Authorization": "Bearer \(bob)"]
        #expect(try await fixture.http.request("DELETE", owned.url, headers: asBob).status == 404)
        #expect(try await owned.call(3, "ping").status == 200, "bob's DELETE did not end alice's session")

        // Opened without a token, it becomes bob's at his first request with one.
        var adopted = Client(fixture)
        _ = try await adopted.start()
        #expect(try await adopted.call(2, "ping").status == 200)
        adopted.token = bob
        #expect(try await adopted.call(3, "ping").status == 200)
        var late = adopted
        late.token = alice
        #expect(try await late.call(4, "ping").status == 404)
        let asAlice = ["Mcp-Session-Id": try #require(adopted.session), "Authorization": "Bearer \(alice)"]
        #expect(try await fixture.http.request("DELETE", adopted.url, headers: asAlice).status == 404)
        let asOwner = ["Mcp-Session-Id": try #require(adopted.session), "Authorization": "Bearer \(bob)"]
        #expect(try await fixture.http.request("DELETE", adopted.url, headers: asOwner).status == 200)
    }

    @Test("a test control forgets every session, as a restart would")
    func forgetSessions() async throws {
        let fixture = try DevServerFixture()
        var client = Client(fixture)
        _ = try await client.start()
        _ = try await fixture.http.post(fixture.base + "/_test/mcp-forget-sessions", form: [])
        #expect(try await client.call(2, "ping").status == 404)
    }

    @Test("sessions are bounded: the oldest goes when the limit is passed")
    func sessionLimit() throws {
        let sessions = MCPSessions()
        let first = try sessions.open(version: "2025-11-25")
        for _ in 0..<MCPSessions.limit { _ = try sessions.open(version: "2025-11-25") }
        #expect(sessions.version(of: first) == nil)
    }
}
