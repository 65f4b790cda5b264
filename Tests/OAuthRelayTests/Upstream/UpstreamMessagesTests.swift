import Foundation
import Testing

@testable import OAuthRelay

@Suite("Upstream answers and errors (Upstream)")
struct UpstreamMessagesTests {
    private func collect(_ stream: AsyncThrowingStream<UpstreamMessage, any Error>) async throws -> [JSONValue] {
        var messages: [JSONValue] = []
        for try await item in stream {
            messages.append(try item.message.map { try JSONValue(parsing: $0.bytes) } ?? .null)
        }
        return messages
    }

    @Test("a JSON body is one message, or a batch of them")
    func jsonBodies() async throws {
        let single = StreamableHTTPTransport.messages(inJSON: Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8))
        #expect(try await collect(single).count == 1)
        let batch = StreamableHTTPTransport.messages(
            inJSON: Data(#"[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":2,"result":{}}]"#.utf8))
        #expect(try await collect(batch).map { $0["method"] } == ["a", nil])
    }

    @Test("a pretty-printed JSON answer reaches the host as it was sent, on one line")
    func prettyBody() async throws {
        let body =
            "{\n  \"jsonrpc\": \"2.0\",\r\n  \"id\": 18446744073709551617,\n"
            + "  \"result\": {\"z\": 1.50, \"a\": \"x\\ny\"}\n}\n"
        var items: [RawMessage] = []
        for try await item in StreamableHTTPTransport.messages(inJSON: Data(body.utf8)) {
            items.append(try #require(item.message))
        }
        let expected =
            "{   \"jsonrpc\": \"2.0\",    \"id\": 18446744073709551617,   "
            + "\"result\": {\"z\": 1.50, \"a\": \"x\\ny\"} } "
        #expect(items.map(\.text) == [expected])
        #expect(items.first?.id == .number(JSONNumber(validLiteral: "18446744073709551617")))
    }

    @Test("a JSON body that is not a message is an error, not silence", arguments: ["<html>", #"{"tools":[]}"#])
    func notAMessage(body: String) async {
        let stream = StreamableHTTPTransport.messages(inJSON: Data(body.utf8))
        await #expect(throws: UpstreamError.self) { _ = try await collect(stream) }
    }

    @Test("an SSE event that is not a JSON-RPC message is dropped; its id still counts")
    func foreignEvent() async throws {
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.yield(Data("id: 9\ndata: {\"tools\":[]}\n\ndata: [1,\n\n".utf8))
        // Invalid UTF-8 is refused as it is, not repaired into U+FFFD and passed on.
        continuation.yield(Data(Array(#"data: {"jsonrpc":"2.0","method":""#.utf8) + [0xFF] + Array("\"}\n\n".utf8)))
        continuation.finish()
        var items: [UpstreamMessage] = []
        for try await item in StreamableHTTPTransport.events(body) { items.append(item) }
        #expect(items.map(\.eventID) == ["9", "9", "9"])
        #expect(items.allSatisfy { $0.message == nil })
    }

    @Test("SSE events in arbitrary chunks become messages; priming events keep their ids")
    func sseChunks() async throws {
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        for chunk in ["id: 1\ndata:\n\n", "id: 2\ndata: {\"jsonrpc\":", "\"2.0\",\"method\":\"x\"}\r", "\n\r\n"] {
            continuation.yield(Data(chunk.utf8))
        }
        continuation.finish()
        var items: [UpstreamMessage] = []
        for try await item in StreamableHTTPTransport.events(body) { items.append(item) }
        #expect(items.map(\.eventID) == ["1", "2"])
        #expect(items.map { $0.message?.text } == [nil, #"{"jsonrpc":"2.0","method":"x"}"#])
    }

    @Test(
        "HTTP answers that are not MCP say what to do",
        arguments: [
            (503, "text/plain", "try again later"),
            (404, "text/plain", "RELAY_BACKEND_URL"),
            (200, "text/html", "not MCP"),
            (401, "application/json", "refused the account"),
            (405, "text/html", "RELAY_BACKEND_PROTOCOL=rest"),
        ])
    func statusMessages(status: Int, contentType: String, expected: String) {
        let error = UpstreamError.status(status, body: "<p>\nbody\n</p>", contentType: contentType)
        #expect(error.message.contains(expected))
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains("<p>"), "an HTML page is named, not quoted")
    }

    @Test("an authorization server named with a root slash is the issuer without it")
    func rootSlash() throws {
        let named = try #require(URL(string: "http://127.0.0.1:8080/"))
        #expect(ClientSetup.withoutRootSlash(named).absoluteString == "http://127.0.0.1:8080")
        let tenant = try #require(URL(string: "https://login.example/tenant/"))
        #expect(ClientSetup.withoutRootSlash(tenant) == tenant)
    }
}
