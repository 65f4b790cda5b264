import Testing

@testable import OAuthRelay

@Suite("IncomingMessage: classifying one line of JSON-RPC")
struct IncomingMessageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let line: String
        let expected: IncomingMessage
        var testDescription: String { line.isEmpty ? "(empty line)" : line }
    }

    private static func invalid(_ id: JSONValue, _ reason: String) -> IncomingMessage {
        .invalid(id: id, reason: reason)
    }

    static let table: [Case] = [
        Case(line: "", expected: .unparseable),
        Case(line: "{", expected: .unparseable),
        Case(line: "{\"jsonrpc\":\"2.0\"", expected: .unparseable),
        Case(line: "{\"a\" 1}", expected: .unparseable),
        Case(line: "42", expected: invalid(.null, "a JSON-RPC message must be a JSON object")),
        Case(line: "\"text\"", expected: invalid(.null, "a JSON-RPC message must be a JSON object")),
        Case(line: "null", expected: invalid(.null, "a JSON-RPC message must be a JSON object")),
        Case(
            line: "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
            expected: invalid(.null, "a JSON-RPC message must be a JSON object")),
        Case(line: "{\"id\":1,\"method\":\"ping\"}", expected: invalid(1, "jsonrpc must be \"2.0\"")),
        Case(
            line: "{\"jsonrpc\":\"1.0\",\"id\":\"a\",\"method\":\"ping\"}",
            expected: invalid("a", "jsonrpc must be \"2.0\"")),
        Case(line: "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}", expected: invalid(1, "jsonrpc must be \"2.0\"")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"ping\"}",
            expected: .request(id: "abc", method: "ping", params: nil)),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}",
            expected: .request(id: 7, method: "tools/list", params: [:])),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":-3,\"method\":\"m\",\"params\":[1]}",
            expected: .request(id: -3, method: "m", params: [1])),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}",
            expected: .request(id: .double(1.5), method: "m", params: nil)),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}",
            expected: invalid(.null, "id must be a string or a number")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"m\"}",
            expected: invalid(.null, "id must be a string or a number")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"m\"}",
            expected: invalid(.null, "id must be a string or a number")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"m\"}",
            expected: invalid(.null, "id must be a string or a number")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            expected: .notification(method: "notifications/initialized", params: nil)),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}",
            expected: .notification(method: "notifications/cancelled", params: ["requestId": 3])),
        Case(line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", expected: .response),
        Case(line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-1,\"message\":\"x\"}}", expected: .response),
        Case(line: "{\"jsonrpc\":\"2.0\",\"id\":1}", expected: invalid(1, "method is missing")),
        Case(line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", expected: invalid(1, "method must be a string")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":\"x\"}",
            expected: invalid(1, "params must be an object or an array")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":3}",
            expected: invalid(1, "params must be an object or an array")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":null}",
            expected: invalid(1, "params must be an object or an array")),
        Case(
            line: "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":true}",
            expected: invalid(.null, "params must be an object or an array")),
    ]

    @Test("classifies each kind of line", arguments: table)
    func classify(_ example: Case) {
        #expect(IncomingMessage(line: Array(example.line.utf8)) == example.expected)
    }

    @Test("a large integer id is echoed exactly, not rounded through Double")
    func largeID() {
        let line = "{\"jsonrpc\":\"2.0\",\"id\":9007199254740993,\"method\":\"ping\"}"
        let expected = IncomingMessage.request(id: .int(9_007_199_254_740_993), method: "ping", params: nil)
        #expect(IncomingMessage(line: Array(line.utf8)) == expected)
    }
}
