import Foundation
import Synchronization
import Testing

@testable import MicroHTTP

/// A server whose handler answers with what it received, as JSON.
private func echoServer(host: String = "127.0.0.1", limits: HTTPServer.Limits = .init()) throws -> HTTPServer {
    try HTTPServer(host: host, limits: limits) { request in
        let echo: [String: Any] = [
            "method": request.method, "path": request.path,
            "query": request.query.map { [$0.name, $0.value] },
            "body": String(decoding: request.body, as: UTF8.self),
            "bodyBytes": request.body.count,
            "marker": request.header("x-marker") ?? "",
            "remote": request.remoteAddress ?? "",
        ]
        return .json(200, body: Array((try? JSONSerialization.data(withJSONObject: echo)) ?? Data()))
    }
}

private struct Echo: Decodable {
    var method: String
    var path: String
    var query: [[String]]
    var body: String
    var bodyBytes: Int
    var marker: String
    var remote: String
}

private func echo(_ fetched: Fetched) throws -> Echo {
    try JSONDecoder().decode(Echo.self, from: fetched.body)
}

@Suite("HTTPServer over a real socket")
struct HTTPServerTests {
    @Test("port 0 binds a real port and the handler sees method, path and headers")
    func realPort() async throws {
        let server = try echoServer()
        defer { server.stop() }
        #expect(server.port != 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let fetched = try await fetch(server.baseURL + "/some/path", headers: ["X-Marker": "m1"])
        #expect(fetched.status == 200)
        let request = try echo(fetched)
        #expect(request.method == "GET")
        #expect(request.path == "/some/path")
        #expect(request.marker == "m1")
        #expect(request.remote == "127.0.0.1")
    }

    @Test("query parameters are decoded in order, repeats kept, + and %20 as spaces")
    func queryDecoding() async throws {
        let server = try echoServer()
        defer { server.stop() }
        let url = server.baseURL + "/q?a=1&b=x+y&a=2&c=p%20q&d=%C3%A9&e=&f"
        let request = try echo(try await fetch(url))
        let expected = [["a", "1"], ["b", "x y"], ["a", "2"], ["c", "p q"], ["d", "é"], ["e", ""], ["f", ""]]
        #expect(request.query == expected)
    }

    @Test("a POST body arrives byte for byte")
    func postBody() async throws {
        let server = try echoServer()
        defer { server.stop() }
        let body = String(repeating: "form=data&", count: 10_000)
        let fetched = try await fetch(server.baseURL + "/post", method: "POST", body: Data(body.utf8))
        let request = try echo(fetched)
        #expect(request.method == "POST")
        #expect(request.bodyBytes == body.utf8.count)
        #expect(request.body == body)
    }

    @Test("a body over the limit gets 413 and never reaches the handler")
    func bodyTooLarge() async throws {
        let reached = Counter()
        let server = try HTTPServer(limits: .init(maxBodyBytes: 1000)) { _ in
            reached.increment()
            return .text(200, "handled")
        }
        defer { server.stop() }
        let fetched = try await fetch(server.baseURL + "/upload", method: "POST", body: Data(count: 5000))
        #expect(fetched.status == 413)
        #expect(reached.value == 0)
        let atLimit = try await fetch(server.baseURL + "/upload", method: "POST", body: Data(count: 1000))
        #expect(atLimit.status == 200)
    }

    @Test("a chunked body that grows over the limit gets 413 and never reaches the handler")
    func chunkedBodyTooLarge() async throws {
        let reached = Counter()
        let server = try HTTPServer(limits: .init(maxBodyBytes: 1000)) { request in
            reached.increment()
            return .text(200, "\(request.body.count) \(request.header("Transfer-Encoding") ?? "sized")")
        }
        defer { server.stop() }
        let fetched = try await fetch(
            server.baseURL + "/upload", method: "POST", body: Data(count: 50_000), streamed: true)
        #expect(fetched.status == 413)
        #expect(reached.value == 0)
        let small = try await fetch(server.baseURL + "/upload", method: "POST", body: Data(count: 999), streamed: true)
        #expect(small.text == "999 chunked")
    }

    @Test("connections beyond the limit are refused, and served again once one closes")
    func connectionLimit() async throws {
        let server = try HTTPServer(limits: .init(idleTimeoutSeconds: 600, maxConnections: 3)) { _ in
            .text(200, "served")
        }
        defer { server.stop() }
        var idle = try (0..<3).map { _ in try IdleConnection(port: server.port) }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: (any Error).self) { _ = try await fetch(server.baseURL + "/refused") }
        idle.removeAll()
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await fetch(server.baseURL + "/served").text == "served")
    }

    @Test("a 100 KB header gets 431 Request Header Fields Too Large")
    func hugeHeader() async throws {
        let server = try echoServer()
        defer { server.stop() }
        let fetched = try await fetch(
            server.baseURL + "/h", headers: ["X-Huge": String(repeating: "h", count: 100_000)])
        #expect(fetched.status == 431)
    }

    @Test("a 100 KB request target is refused with 414 URI Too Long")
    func hugeTarget() async throws {
        let server = try echoServer()
        defer { server.stop() }
        let fetched = try await fetch(server.baseURL + "/h?x=" + String(repeating: "q", count: 100_000))
        #expect(fetched.status == 414)
    }

    @Test("a second server on a taken port fails with addressInUse naming the port")
    func addressInUse() throws {
        let first = try echoServer()
        defer { first.stop() }
        let error = #expect(throws: HTTPServerError.self) {
            try HTTPServer(host: "127.0.0.1", port: first.port) { _ in .text(200, "") }
        }
        #expect(error?.code == .addressInUse)
        #expect(error?.port == first.port)
        #expect(error?.description.contains("\(first.port)") == true)
    }

    @Test("a host that is not a numeric address is refused", arguments: ["localhost", "example.test", ""])
    func invalidHost(host: String) {
        #expect(throws: HTTPServerError(code: .invalidHost, host: host, port: 0)) {
            try HTTPServer(host: host) { _ in .text(200, "") }
        }
    }

    @Test("stop() closes the port, and calling it twice is safe")
    func stopTwice() async throws {
        let server = try echoServer()
        let url = server.baseURL + "/"
        server.stop()
        server.stop()
        await #expect(throws: (any Error).self) { try await fetch(url) }
        let again = try HTTPServer(port: server.port) { _ in .text(200, "again") }
        defer { again.stop() }
        #expect(try await fetch(url).text == "again")
    }

    @Test("IPv6 loopback ::1 serves requests with a bracketed base URL")
    func ipv6() async throws {
        let server = try echoServer(host: "::1")
        defer { server.stop() }
        #expect(server.baseURL == "http://[::1]:\(server.port)")
        let request = try echo(try rawIPv6Request(port: server.port, target: "/six?x=1"))
        #expect(request.path == "/six")
        #expect(request.query == [["x", "1"]])
        #expect(request.remote == "::1")
    }

    @Test("response status, headers and body reach the client")
    func responseShape() async throws {
        let server = try HTTPServer { _ in
            HTTPResponse(status: 418, headers: [("X-Answer", "42")], body: Array("teapot".utf8))
        }
        defer { server.stop() }
        let fetched = try await fetch(server.baseURL + "/")
        #expect(fetched.status == 418)
        #expect(fetched.headers["x-answer"] == "42")
        #expect(fetched.text == "teapot")
    }
}

/// A thread-safe counter for handlers, which run on libmicrohttpd's threads.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
