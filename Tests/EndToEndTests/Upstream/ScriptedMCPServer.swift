import Foundation
import MicroHTTP
import Synchronization

@testable import OAuthRelay

/// A scripted Streamable HTTP MCP endpoint at `/mcp` for proxy-mode tests: sessions, and a
/// behaviour per test (expire sessions, answer HTML or 500, hold an answer, stream several messages).
final class ScriptedMCPServer: Sendable {
    enum Behaviour: Sendable {
        case normal
        case html
        case serverError
        /// tools/call waits until `release()`, a `notifications/cancelled` arrives, or 30 s
        /// pass, and then answers as usual.
        case hold
        /// tools/call answers with a stream that breaks off after one event; the response comes
        /// only on a GET that resumes from that event's id.
        case breakOff
    }

    struct State {
        var behaviour = Behaviour.normal
        var sessions: Set<String> = []
        var issued = 0
        /// Every JSON-RPC message POSTed, in order, with the session id it carried.
        var received: [(message: JSONValue, session: String?)] = []
        var deleted: [String] = []
        /// Events the GET stream hands out, one per connection; then 405.
        var streamEvents: [JSONValue] = []
        /// The `Last-Event-ID` of each GET (empty when none).
        var resumedFrom: [String] = []
        /// The response held back by `.breakOff`.
        var heldBack: JSONValue?
        /// Bearer tokens required: none → 401; the first token seen → 403 insufficient_scope
        /// on tools/call when `stepUpScope` is set.
        var requireBearer = false
        var stepUpScope: String?
        var tokens: [String] = []
        /// tools/call requests that reached `.hold`, and how many of them have answered.
        var held = 0
        var heldAnswered = 0
        var releasedHeld = false
    }

    let state = Locked(State())
    private let server = Mutex<HTTPServer?>(nil)
    let url: String

    init() throws {
        let state = self.state
        let http = try HTTPServer { request in Self.handle(request, state) }
        url = http.baseURL + "/mcp"
        server.withLock { $0 = http }
    }

    deinit { server.withLock { $0?.stop() } }

    /// Forgets every session, as a restarted server would.
    func forgetSessions() { state.withLock { $0.sessions.removeAll() } }

    func set(_ behaviour: Behaviour) { state.withLock { $0.behaviour = behaviour } }

    var received: [(message: JSONValue, session: String?)] { state.withLock { $0.received } }

    /// Lets every held tools/call answer.
    func release() { state.withLock { $0.releasedHeld = true } }

    /// Waits (at most 10 s) until `condition` holds for the server's state.
    func wait(until condition: @Sendable (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !state.withLock({ condition($0) }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func handle(_ request: HTTPRequest, _ state: Locked<State>) -> HTTPResponse {
        guard request.path == "/mcp" else { return .text(404, "not found") }
        let session = request.header("Mcp-Session-Id")
        switch request.method {
        case "DELETE":
            state.withLock { $0.deleted.append(session ?? "") }
            return HTTPResponse(status: 200)
        case "GET":
            return serverStream(request, state)
        default:
            break
        }
        guard let message = try? JSONValue(parsing: Data(request.body)) else {
            return .text(400, "not JSON")
        }
        let method = message["method"]?.stringValue
        if let refusal = authorize(request, method: method, state) { return refusal }
        let (behaviour, known) = state.withLock { state in
            state.received.append((message, session))
            return (state.behaviour, session.map { state.sessions.contains($0) } ?? false)
        }
        switch behaviour {
        case .html: return .html(200, "<html><body>Sign in to continue</body></html>")
        case .serverError: return .text(502, "bad gateway")
        case .hold where method == "tools/call": hold(state)
        case .breakOff where method == "tools/call" && known:
            let note: JSONValue = [
                "jsonrpc": "2.0", "method": "notifications/message",
                "params": ["level": "info", "data": "started"],
            ]
            state.withLock {
                $0.heldBack = JSONRPC.result(id: message["id"] ?? .null, ["content": [], "resumed": true])
            }
            let body = (try? "id: held-1\ndata: \(encoded(note))\n\n") ?? ""
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream")], body: Array(body.utf8))
        default: break
        }
        if method == "initialize" {
            let id = state.withLock { state -> String in
                state.issued += 1
                state.sessions.insert("session-\(state.issued)")
                return "session-\(state.issued)"
            }
            let result: JSONValue = [
                "protocolVersion": "2025-06-18", "capabilities": ["tools": [:]],
                "serverInfo": ["name": "scripted", "version": "1"],
            ]
            var response = json(JSONRPC.result(id: message["id"] ?? .null, result))
            response.headers.append(("Mcp-Session-Id", id))
            return response
        }
        guard known else { return .text(404, "unknown session") }
        guard let id = message["id"], method != nil else { return HTTPResponse(status: 202) }
        switch method {
        case "tools/call":
            // An SSE answer: a progress notification first, then the result, with CRLF lines.
            let note: JSONValue = [
                "jsonrpc": "2.0", "method": "notifications/message",
                "params": ["level": "info", "data": "working"],
            ]
            let result = JSONRPC.result(id: id, ["content": [["type": "text", "text": "done"]]])
            let body =
                try? "id: 1\r\ndata: \(encoded(note))\r\n\r\n: comment\r\n"
                + "id: 2\r\ndata: \(encoded(result))\r\n\r\n"
            return HTTPResponse(
                status: 200, headers: [("Content-Type", "text/event-stream")],
                body: Array((body ?? "").utf8))
        default:
            return json(JSONRPC.result(id: id, ["tools": [], "session": .string(session ?? "")]))
        }
    }

    private static func hold(_ state: Locked<State>) {
        state.withLock { $0.held += 1 }
        defer { state.withLock { $0.heldAnswered += 1 } }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let done = state.withLock { state in
                state.releasedHeld || state.received.contains { $0.message["method"] == "notifications/cancelled" }
            }
            if done { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    private static func authorize(_ request: HTTPRequest, method: String?, _ state: Locked<State>)
        -> HTTPResponse?
    {
        state.withLock { state in
            guard state.requireBearer else { return nil }
            guard let header = request.header("Authorization"), header.hasPrefix("Bearer ") else {
                return HTTPResponse(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="mcp""#)])
            }
            let token = String(header.dropFirst("Bearer ".count))
            if !state.tokens.contains(token) { state.tokens.append(token) }
            if method == "tools/call", let scope = state.stepUpScope, token == state.tokens.first {
                let challenge = #"Bearer error="insufficient_scope", scope="\#(scope)""#
                return HTTPResponse(status: 403, headers: [("WWW-Authenticate", challenge)])
            }
            return nil
        }
    }

    /// One event per connection, then the connection drops (the body ends): the relay must
    /// reconnect and resume with Last-Event-ID.
    private static func serverStream(_ request: HTTPRequest, _ state: Locked<State>) -> HTTPResponse {
        if request.header("Last-Event-ID") == "held-1", let held = state.withLock({ $0.heldBack }),
            let data = try? encoded(held)
        {
            let body = "id: held-2\ndata: \(data)\n\n"
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream")], body: Array(body.utf8))
        }
        let next = state.withLock { state -> (JSONValue, Int)? in
            state.resumedFrom.append(request.header("Last-Event-ID") ?? "")
            guard !state.streamEvents.isEmpty else { return nil }
            return (state.streamEvents.removeFirst(), state.resumedFrom.count)
        }
        guard let (event, number) = next, let data = try? encoded(event) else { return HTTPResponse(status: 405) }
        let body = "retry: 50\nid: event-\(number)\ndata: \(data)\n\n"
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream")], body: Array(body.utf8))
    }

    private static func encoded(_ value: JSONValue) throws -> String {
        value.description
    }

    private static func json(_ value: JSONValue) -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            body: value.serialized())
    }
}
