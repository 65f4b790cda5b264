import Foundation
import Testing

@testable import OAuthRelay

@Suite("SSE parser (Upstream)")
struct UpstreamSSEParserTests {
    private func parse(_ chunks: [String]) -> [SSEEvent] {
        var parser = SSEParser()
        return chunks.flatMap { parser.feed(Array($0.utf8)) }
    }

    @Test("one event per blank line, with the default type message")
    func singleEvent() {
        #expect(parse(["data: {\"a\":1}\n\n"]) == [SSEEvent(data: "{\"a\":1}")])
    }

    @Test("several data lines join with a newline")
    func multiLineData() {
        #expect(parse(["data: one\ndata: two\ndata:three\n\n"]).map(\.data) == ["one\ntwo\nthree"])
    }

    @Test("comments and unknown fields are ignored")
    func comments() {
        let events = parse([": keep-alive\n", "foo: bar\n", "data: x\n", ":another\n\n"])
        #expect(events.map(\.data) == ["x"])
    }

    @Test("event ids persist across events; retry belongs to its event")
    func idsAndRetry() {
        let events = parse(["id: 7\nretry: 2500\ndata: a\n\n", "data: b\n\n", "id: 9\nevent: custom\ndata: c\n\n"])
        #expect(events.map(\.id) == ["7", "7", "9"])
        #expect(events.map(\.retry) == [2500, nil, nil])
        #expect(events.map(\.type) == ["message", "message", "custom"])
    }

    @Test("a retry that is not all digits is ignored")
    func badRetry() {
        #expect(parse(["retry: 12a\ndata: x\n\n"]).first?.retry == nil)
    }

    @Test("an event with no data is not dispatched, but its id is kept")
    func primingEvent() {
        var parser = SSEParser()
        #expect(parser.feed(Array("id: 42\n\n".utf8)).isEmpty)
        #expect(parser.lastEventID == "42")
        #expect(parser.feed(Array("data: y\n\n".utf8)).first?.id == "42")
    }

    @Test("empty data lines count as data")
    func emptyData() {
        #expect(parse(["data\n\n", "data:\ndata:\n\n"]).map(\.data) == ["", "\n"])
    }

    @Test(
        "line endings LF, CR and CRLF, also split across chunks",
        arguments: [
            ["data: x\r\n\r\n"],
            ["data: x\r\r"],
            ["data: x\r", "\n\r", "\n"],
            ["data: x\n\n"],
            ["da", "ta: x", "\r\n", "\r\n"],
        ])
    func lineEndings(chunks: [String]) {
        #expect(parse(chunks) == [SSEEvent(data: "x")])
    }

    @Test("any split of a stream gives the same events")
    func byteByByte() {
        let stream = "id: 1\r\ndata: {\"jsonrpc\":\"2.0\"}\r\n\r\n: ping\n\nevent: message\ndata: two\ndata: lines\n\n"
        let whole = parse([stream])
        let pieces = stream.map { String($0) }
        #expect(parse(pieces) == whole)
        #expect(whole.count == 2)
    }

    @Test("UTF-8 split across chunks survives")
    func utf8Split() {
        var parser = SSEParser()
        let bytes = Array("data: héllo ✓\n\n".utf8)
        var events: [SSEEvent] = []
        for byte in bytes { events += parser.feed([byte]) }
        #expect(events.map(\.data) == ["héllo ✓"])
    }

    @Test(
        "an event larger than the limit ends parsing, whether in one line or many data lines",
        arguments: [
            ["data: " + String(repeating: "x", count: 200) + "\n"],
            Array(repeating: "data: " + String(repeating: "y", count: 40) + "\n", count: 10),
        ])
    func oversizedEvent(chunks: [String]) {
        var parser = SSEParser(maxEventBytes: 100)
        #expect(parser.feed(Array("data: small\n\n".utf8)).map(\.data) == ["small"])
        var events: [SSEEvent] = []
        for chunk in chunks { events += parser.feed(Array(chunk.utf8)) }
        events += parser.feed(Array("\ndata: after\n\n".utf8))
        #expect(parser.overflowed)
        #expect(events.isEmpty, "nothing is dispatched once an event overflowed")
    }

    @Test("a leading byte order mark is dropped; an unfinished event is not dispatched")
    func bomAndUnfinished() {
        var parser = SSEParser()
        #expect(parser.feed([0xEF, 0xBB, 0xBF] + Array("data: a\n\ndata: b\n".utf8)).map(\.data) == ["a"])
        parser.finish()
        #expect(parser.feed(Array("\n".utf8)).isEmpty)
    }
}

@Suite("Backend protocol rule (Upstream)")
struct UpstreamBackendProtocolTests {
    @Test(
        "a URL with a path is an MCP endpoint, a bare origin a REST base URL",
        arguments: [
            ("https://api.example.com", BackendProtocol.rest),
            ("https://api.example.com/", .rest),
            ("https://host.example/mcp", .mcp),
            ("https://host.example/v1/mcp/", .mcp),
            ("http://127.0.0.1:8080/sse", .mcp),
        ])
    func detection(url: String, expected: BackendProtocol) throws {
        let url = try #require(URL(string: url))
        #expect(try BackendProtocol(settings: [:], backendURL: url) == expected)
    }

    @Test("RELAY_BACKEND_PROTOCOL wins, and a wrong value names the setting")
    func explicit() throws {
        let url = try #require(URL(string: "https://host.example/mcp"))
        #expect(try BackendProtocol(settings: ["RELAY_BACKEND_PROTOCOL": "REST"], backendURL: url) == .rest)
        #expect(throws: ConfigurationError.self) {
            try BackendProtocol(settings: ["RELAY_BACKEND_PROTOCOL": "grpc"], backendURL: url)
        }
    }
}
