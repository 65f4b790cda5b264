import Testing

@testable import OAuthRelay

@Suite("RawMessage: routing a message without rebuilding it")
struct RawMessageTests {
    private func message(_ text: String) throws -> RawMessage { try RawMessage(Array(text.utf8)) }

    @Test("reads id, method and the kind of message; keeps the bytes as they came")
    func members() throws {
        let request = try message(
            #"{"params":{"b":1,"a":2},"id":12345678901234567890123,"method":"tools/call","jsonrpc":"2.0"}"#)
        #expect(request.method == "tools/call")
        #expect(request.id == .number(JSONNumber(validLiteral: "12345678901234567890123")))
        #expect(!request.isResponse)
        #expect(request.member("params") == ["a": 2, "b": 1])
        #expect(
            request.text
                == #"{"params":{"b":1,"a":2},"id":12345678901234567890123,"method":"tools/call","jsonrpc":"2.0"}"#)

        let answer = try message(#"{"jsonrpc":"2.0","id":"x","error":{"code":-1,"message":"m"}}"#)
        #expect(answer.isResponse && answer.id == "x" && answer.method == nil)
        let notification = try message(#"{"jsonrpc":"2.0","method":"notifications/progress"}"#)
        #expect(notification.id == nil && !notification.isResponse)
        #expect(try message(#"{"jsonrpc":"2.0","id":null,"result":{}}"#).id == .null)
    }

    @Test("a repeated member counts as its last occurrence, as JavaScript and Python read it")
    func repeatedMember() throws {
        #expect(try message(#"{"id":1,"id":2,"method":"a","method":"b"}"#).id == 2)
        #expect(try message(#"{"id":1,"id":2,"method":"a","method":"b"}"#).method == "b")
    }

    @Test("line breaks between tokens become spaces; escaped ones in strings stay escaped")
    func oneLine() throws {
        let pretty = try message("{\r\n\"a\":\n\"x\\ny\"\n}\n")
        #expect(pretty.text == "{  \"a\": \"x\\ny\" } ")
        #expect(pretty.member("a") == "x\ny")
    }

    @Test("a byte order mark is dropped", arguments: [[0xEF, 0xBB, 0xBF]] as [[UInt8]])
    func byteOrderMark(mark: [UInt8]) throws {
        let raw = try RawMessage(mark + Array(#"{"id":1}"#.utf8))
        #expect(raw.text == #"{"id":1}"#)
    }

    @Test("anything but one JSON object is refused", arguments: ["[]", "1", "\"x\"", "null", "{", "{}{}", "{\"a\":}"])
    func refused(text: String) {
        #expect(throws: JSONParseError.self) { try message(text) }
    }

    @Test("a JSON body is one message or a batch; each message of a batch stands alone")
    func batches() throws {
        let batch = try RawMessage.messages(inBody: Array(" [ {\"id\":1,\"result\":{}} ,\n{\"method\":\"m\"} ] ".utf8))
        #expect(batch.map(\.text) == [#"{"id":1,"result":{}}"#, #"{"method":"m"}"#])
        #expect(batch.map(\.id) == [1, nil])
        #expect(try RawMessage.messages(inBody: Array("[]".utf8)).isEmpty)
        #expect(try RawMessage.messages(inBody: Array(#"{"id":3}"#.utf8)).map(\.id) == [3])
        #expect(throws: JSONParseError.self) { try RawMessage.messages(inBody: Array("[1]".utf8)) }
        #expect(throws: JSONParseError.self) { try RawMessage.messages(inBody: Array("[{},]".utf8)) }
        #expect(throws: JSONParseError.self) { try RawMessage.messages(inBody: Array("[]garbage".utf8)) }
        #expect(throws: JSONParseError.self) { try RawMessage.messages(inBody: Array("[]]]".utf8)) }
        #expect(throws: JSONParseError.self) { try RawMessage.messages(inBody: Array("<html>".utf8)) }
    }

    @Test("a message the relay writes reads back with its members")
    func ownMessage() {
        let built = RawMessage(JSONRPC.error(id: "a", code: -32000, message: "m"))
        #expect(built.isResponse && built.id == "a")
    }

    @Test(
        "only JSON-RPC 2.0 messages are for the host",
        arguments: [
            (#"{"jsonrpc":"2.0","method":"notifications/progress"}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"method":"roots/list"}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"result":{}}"#, true),
            (#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"m"}}"#, true),
            (#"{"tools":[]}"#, false),
            (#"{"jsonrpc":"1.0","id":1,"result":{}}"#, false),
            (#"{"id":1,"result":{}}"#, false),
            (#"{"jsonrpc":"2.0","id":1}"#, false),
            (#"{"jsonrpc":"2.0","result":{}}"#, false),
            (#"{"jsonrpc":"2.0","method":7}"#, false),
            (#"{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}"#, false),
            (#"{"jsonrpc":"2.0","id":1,"id":2,"result":{}}"#, false),
            (#"{"jsonrpc":"2.0","method":"m","result":{}}"#, false),
        ])
    func jsonRPCShape(text: String, expected: Bool) throws {
        #expect(try message(text).isJSONRPC == expected)
    }
}
