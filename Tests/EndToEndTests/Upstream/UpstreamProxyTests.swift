import Foundation
import Testing

@testable import OAuthRelay

@Suite("Upstream proxy: the real binary in front of a scripted Streamable HTTP server")
struct UpstreamProxyTests {
    private func relay(_ server: ScriptedMCPServer, _ extra: [String: String] = [:]) throws
        -> RelayProcess
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relay-up-\(UUID())")
        var environment = [
            "RELAY_BACKEND_URL": server.url,
            "RELAY_AUTH_SERVER_URL": "http://127.0.0.1:9",
            "RELAY_TOKEN_STORE": "plaintext",
            "RELAY_TOKEN_PATH": directory.appendingPathComponent("tokens.json").path,
            "RELAY_BROWSER": "none",
            "RELAY_LOG_LEVEL": "debug",
        ]
        environment.merge(extra) { _, new in new }
        return try RelayProcess(environment: environment)
    }

    @Test("initialize passes through, and the session id rides on every later request")
    func passThrough() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        let initialized = try await relay.initialize()
        #expect(initialized["result"]?["serverInfo"]?["name"] == "scripted")
        let listed = try await relay.request("tools/list")
        #expect(listed["result"]?["session"] == "session-1")
        let first = try #require(server.received.first)
        #expect(first.message["params"]?["clientInfo"]?["name"] == "e2e")
        _ = try await relay.finish()
        #expect(server.state.withLock { $0.deleted } == ["session-1"])
    }

    @Test("ids pass through exactly both ways, however many digits they have")
    func exactIDs() async throws {
        let server = try ScriptedMCPServer()
        let request: JSONValue = [
            "jsonrpc": "2.0", "id": .number(JSONNumber(validLiteral: "98765432109876543210987")),
            "method": "roots/list",
        ]
        server.state.withLock { $0.streamEvents = [request] }
        let relay = try relay(server)
        _ = try await relay.initialize()
        let id = "123456789012345678901234567890"
        try relay.sendLine(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/list"}"#)
        let answer = try await relay.response(for: .number(JSONNumber(validLiteral: id)))
        #expect(answer["result"]?["session"] == "session-1")
        #expect(relay.stdout.contains { $0.contains(#""id":\#(id)"#) })
        // The server's request comes on the GET stream, which need not be open before the answer.
        let serverID = #""id":98765432109876543210987"#
        let deadline = ContinuousClock.now + .seconds(30)
        while !relay.stdout.contains(where: { $0.contains(serverID) }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(relay.stdout.contains { $0.contains(serverID) })
    }

    @Test("an id may be used again as soon as its answer has arrived; while in flight it is refused")
    func idReuse() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        for round in 1...20 {
            try relay.sendLine(#"{"jsonrpc":"2.0","id":"same","method":"tools/list"}"#)
            let deadline = ContinuousClock.now + .seconds(10)
            while relay.stdout.filter({ $0.contains(#""id":"same""#) }).count < round, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        let answers = relay.stdout.filter { $0.contains(#""id":"same""#) }
        #expect(answers.count == 20)
        #expect(answers.allSatisfy { $0.contains(#""result""#) }, "\(answers.filter { !$0.contains("result") })")

        server.set(.hold)
        defer { server.release() }
        try relay.sendLine(#"{"jsonrpc":"2.0","id":"twice","method":"tools/call","params":{"name":"slow"}}"#)
        try await server.wait { $0.held == 1 }
        try relay.sendLine(#"{"jsonrpc":"2.0","id":"twice","method":"tools/call","params":{"name":"slow"}}"#)
        let refused = try await relay.response(for: "twice")
        #expect(refused["error"]?["message"]?.stringValue?.contains("already in use") == true, "\(refused)")
    }

    @Test("an SSE answer: every message reaches the host, the notification before the result")
    func sseAnswer() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        let result = try await relay.callTool("work")
        #expect(result["content"]?.arrayValue?.first?["text"] == "done")
        let lines = relay.stdout
        let note = try #require(lines.firstIndex { $0.contains("notifications/message") })
        let answer = try #require(lines.firstIndex { $0.contains("\"done\"") })
        #expect(note < answer)
    }

    @Test("a 404 for an expired session: initialize again with the host's parameters, retry once")
    func sessionExpiry() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        server.forgetSessions()
        let listed = try await relay.request("tools/list")
        #expect(listed["result"]?["session"] == "session-2")
        let initializes = server.received.filter { $0.message["method"] == "initialize" }
        #expect(initializes.count == 2)
        let replay = try #require(initializes.last?.message)
        #expect(replay["id"]?.stringValue?.hasPrefix("oauth-relay-") == true)
        #expect(replay["params"]?["clientInfo"]?["name"] == "e2e")
        #expect(
            server.received.contains {
                $0.message["method"] == "notifications/initialized" && $0.session == "session-2"
            })
        #expect(!relay.stdout.contains { $0.contains("oauth-relay-initialize") })
    }

    @Test("an HTML page, a 5xx, an unreachable server: JSON-RPC errors that say what happened")
    func failures() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        server.set(.html)
        let html = try await relay.request("tools/list")
        #expect(html["error"]?["message"]?.stringValue?.contains("not MCP") == true)
        server.set(.serverError)
        let failed = try await relay.request("tools/list")
        #expect(failed["error"]?["message"]?.stringValue?.contains("HTTP 502") == true)

        let nowhere = try RelayProcess(environment: [
            "RELAY_BACKEND_URL": "http://127.0.0.1:9/mcp", "RELAY_TOKEN_STORE": "plaintext",
            "RELAY_TOKEN_PATH": "/nonexistent/tokens.json", "RELAY_BROWSER": "none",
        ])
        let unreachable = try await nowhere.initialize()
        #expect(unreachable["error"]?["message"]?.stringValue?.contains("unreachable") == true)
    }

    @Test("an upstream that hangs: an error after RELAY_HTTP_TIMEOUT, never a hang")
    func hang() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server, ["RELAY_HTTP_TIMEOUT": "1"])
        _ = try await relay.initialize()
        // The server holds its answer until the test ends; only the relay's own timeout can
        // produce an error that names the setting.
        server.set(.hold)
        defer { server.release() }
        let answer = try await relay.request("tools/call", params: ["name": "slow"], timeout: .seconds(10))
        #expect(answer["error"]?["message"]?.stringValue?.contains("RELAY_HTTP_TIMEOUT") == true)
        #expect(answer["result"] == nil)
    }

    @Test("notifications/cancelled aborts the request and reaches the server; others go on")
    func cancellation() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        server.set(.hold)
        defer { server.release() }
        let id = try relay.send("tools/call", params: ["name": "slow"])
        try await server.wait { $0.held == 1 }
        try relay.notify("notifications/cancelled", params: ["requestId": id, "reason": "user"])
        let ping = try await relay.request("ping", timeout: .seconds(30))
        #expect(ping["result"] != nil)
        // The held call answers once the server has seen the cancellation; the relay, which
        // abandoned the request, must not pass that late answer on.
        try await server.wait { $0.heldAnswered == 1 }
        try await Task.sleep(for: .milliseconds(300))
        let answered = relay.stdout.contains { line in
            (try? JSONValue(parsing: Data(line.utf8)))?["id"] == id
        }
        #expect(!answered)
        #expect(server.received.contains { $0.message["method"] == "notifications/cancelled" })
    }

    @Test("the server's GET stream reaches the host and resumes with Last-Event-ID after a drop")
    func serverStream() async throws {
        let server = try ScriptedMCPServer()
        let changed: JSONValue = ["jsonrpc": "2.0", "method": "notifications/tools/list_changed"]
        let request: JSONValue = ["jsonrpc": "2.0", "id": "s-1", "method": "roots/list"]
        server.state.withLock { $0.streamEvents = [changed, request] }
        let relay = try relay(server)
        _ = try await relay.initialize()
        let deadline = ContinuousClock.now + .seconds(30)
        while server.state.withLock({ $0.resumedFrom.count < 3 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(server.state.withLock { $0.resumedFrom } == ["", "event-1", "event-2"])
        #expect(relay.stdout.contains { $0.contains("notifications/tools/list_changed") })
        #expect(relay.stdout.contains { $0.contains("roots/list") })

        // The host's answer to the server's request goes back upstream as is.
        try relay.sendLine(#"{"jsonrpc":"2.0","id":"s-1","result":{"roots":[]}}"#)
        let deadline2 = ContinuousClock.now + .seconds(30)
        while !server.received.contains(where: { $0.message["id"] == "s-1" }), ContinuousClock.now < deadline2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(server.received.contains { $0.message["id"] == "s-1" && $0.message["result"] != nil })
    }

    @Test("an answer stream that breaks off before the response is resumed with GET and Last-Event-ID")
    func resumeAnswer() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        server.set(.breakOff)
        let answer = try await relay.request("tools/call", params: ["name": "long"], timeout: .seconds(30))
        #expect(answer["result"]?["resumed"] == true)
        #expect(relay.stdout.contains { $0.contains("started") })
    }

    @Test("SIGTERM ends the upstream session with DELETE before the relay exits")
    func deleteOnSignal() async throws {
        let server = try ScriptedMCPServer()
        let relay = try relay(server)
        _ = try await relay.initialize()
        relay.signal(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(3)
        while relay.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!relay.isRunning)
        #expect(server.state.withLock { $0.deleted } == ["session-1"])
    }
}
