import Foundation
import Testing

@Suite("Bad input never crashes the server")
struct RobustnessTests {
    @Test("a huge header gets 431 and the server keeps working")
    func hugeHeader() async throws {
        let fixture = try DevServerFixture()
        let response = try await fixture.http.request(
            "GET", fixture.base + "/health", headers: ["X-Padding": String(repeating: "a", count: 100_000)])
        #expect(response.status == 431)
        #expect(try await fixture.http.get(fixture.base + "/health").status == 200)
    }

    @Test("a huge body gets 413 as soon as its length is declared, and the server keeps working")
    func hugeBody() async throws {
        let fixture = try DevServerFixture()
        let head = "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(2 << 20)\r\n\r\n"
        #expect(try rawStatus(port: fixture.server.port, head: head) == 413)
        #expect(try await fixture.http.get(fixture.base + "/health").status == 200)
    }

    @Test(
        "broken JSON and broken forms get 400 with an RFC-shaped error",
        arguments: [
            ("/mcp/tools/echo", "application/json", "{\"arguments\":"),
            ("/mcp/tools/echo", "application/json", "[1,2]"),
            ("/register", "application/json", "\u{0}\u{1}"),
            ("/token", "application/x-www-form-urlencoded", "grant_type=%zz"),
            ("/token", "application/json", "{\"grant_type\":\"authorization_code\"}"),
        ])
    func brokenBodies(path: String, type: String, body: String) async throws {
        let fixture = try DevServerFixture()
        let response = try await fixture.http.request(
            "POST", fixture.base + path, headers: ["Content-Type": type], body: Data(body.utf8))
        #expect(response.status == 400)
        #expect(response.json["error"] is String)
        #expect(response.json["error_description"] is String)
    }
}
