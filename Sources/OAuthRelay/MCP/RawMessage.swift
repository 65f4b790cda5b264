/// One JSON-RPC message exactly as a peer sent it: its bytes, checked to be a JSON object, and
/// where its top-level members lie, so the relay can route it by `id` and `method` and forward
/// it without rebuilding it — every id, number and member order arrives as it was sent.
struct RawMessage: Sendable {
    /// The message on one line. Valid JSON has raw line breaks only between tokens, so the
    /// reader turns any it finds into spaces: a pretty-printed message still fits one stdio line.
    let bytes: [UInt8]
    private let members: [Member]

    private struct Member: Sendable {
        let name: String
        let range: Range<Int>
    }

    /// Reads one message.
    /// - Throws: `JSONParseError` when `text` is not JSON, or not a JSON object.
    init(_ text: some Collection<UInt8>) throws(JSONParseError) {
        var bytes = Self.withoutByteOrderMark(text)
        members = try bytes.withUnsafeBufferPointer { buffer in
            JSONParser.catching { () throws(JSONParseError) in
                var parser = JSONParser(buffer)
                let members = try Self.members(of: &parser)
                try parser.expectEnd()
                return members
            }
        }.get()
        Self.flattenLineBreaks(&bytes)
        self.bytes = bytes
    }

    /// A message the relay writes itself.
    init(_ value: JSONValue) {
        // Our own output: valid by construction, so reading it back cannot fail.
        bytes = value.serialized()
        members = (try? RawMessage(bytes).members) ?? []
    }

    private init(bytes: [UInt8], members: [Member]) {
        self.bytes = bytes
        self.members = members
    }

    /// The messages of a JSON body: one object, or a batch (an array of them, which protocol
    /// 2025-03-26 allowed).
    /// - Throws: `JSONParseError` when the body is not JSON, or not an object or array of objects.
    static func messages(inBody body: some Collection<UInt8>) throws(JSONParseError) -> [RawMessage] {
        var bytes = withoutByteOrderMark(body)
        let ranges = try bytes.withUnsafeBufferPointer { buffer in
            JSONParser.catching { () throws(JSONParseError) -> [(Range<Int>, [Member])] in
                var parser = JSONParser(buffer)
                guard parser.peek() == UInt8(ascii: "[") else {
                    let start = parser.offset
                    let members = try Self.members(of: &parser)
                    try parser.expectEnd()
                    return [(start..<parser.offset, members)]
                }
                _ = parser.consume(UInt8(ascii: "["))
                var found: [(Range<Int>, [Member])] = []
                if parser.consume(UInt8(ascii: "]")) {
                    try parser.expectEnd()
                    return found
                }
                repeat {
                    _ = parser.peek()
                    let start = parser.offset
                    let members = try Self.members(of: &parser)
                    found.append((start..<parser.offset, members))
                } while parser.consume(UInt8(ascii: ","))
                try parser.expect(UInt8(ascii: "]"), "',' or ']'")
                try parser.expectEnd()
                return found
            }
        }.get()
        flattenLineBreaks(&bytes)
        return ranges.map { range, members in
            let shift = range.lowerBound
            let shifted = members.map {
                Member(name: $0.name, range: ($0.range.lowerBound - shift)..<($0.range.upperBound - shift))
            }
            return RawMessage(bytes: Array(bytes[range]), members: shifted)
        }
    }

    /// The member `name`, read when asked for; nil when absent.
    func member(_ name: String) -> JSONValue? {
        guard let member = members.last(where: { $0.name == name }) else { return nil }
        return try? JSONValue(parsing: bytes[member.range])
    }

    func has(_ name: String) -> Bool { members.contains { $0.name == name } }

    /// The `id` member; nil when absent (a notification), `.null` when sent as null.
    var id: JSONValue? { member("id") }

    /// The `method` member when it is a string.
    var method: String? { member("method")?.stringValue }

    /// A response: no method, and a result or an error.
    var isResponse: Bool { !has("method") && (has("result") || has("error")) }

    /// A JSON-RPC 2.0 message: `"jsonrpc": "2.0"` and a method (a request or notification), or
    /// an id with either a result or an error (a response). Any other object is not for the host,
    /// nor is one that names a member twice, which readers would take in different ways.
    var isJSONRPC: Bool {
        guard Set(members.map(\.name)).count == members.count, member("jsonrpc") == "2.0" else { return false }
        if has("method") {
            return method != nil && !has("result") && !has("error") && (id.map(\.isValidRequestID) ?? true)
        }
        guard let id, id.isValidRequestID || id == .null else { return false }
        return has("result") != has("error")
    }

    /// A response whose `result` is an object (every MCP result is), or whose `error` is an
    /// object with an integer `code` and a string `message` (JSON-RPC 2.0 §5.1).
    var isWellFormedResponse: Bool {
        if let result = member("result") { return result.objectValue != nil }
        guard let error = member("error") else { return false }
        return error["code"]?.intValue != nil && error["message"]?.stringValue != nil
    }

    /// The message as text, for tests and logs.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: - Reading

    /// Reads an object's members, stepping over each value; the object comes next.
    private static func members(of parser: inout JSONParser) throws(JSONParseError) -> [Member] {
        guard parser.peek() == UInt8(ascii: "{") else { throw parser.fail("a JSON object") }
        _ = parser.consume(UInt8(ascii: "{"))
        var members: [Member] = []
        if parser.consume(UInt8(ascii: "}")) { return members }
        repeat {
            let name = try parser.key()
            parser.skipWhitespace()
            let start = parser.offset
            try parser.skipValue(depth: 1)
            members.append(Member(name: name, range: start..<parser.offset))
        } while parser.consume(UInt8(ascii: ","))
        try parser.expect(UInt8(ascii: "}"), "',' or '}'")
        return members
    }

    /// The bytes without a leading UTF-8 byte order mark, which RFC 8259 §8.1 lets a reader ignore.
    private static func withoutByteOrderMark(_ text: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(text)
        return bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    private static func flattenLineBreaks(_ bytes: inout [UInt8]) {
        for index in bytes.indices where bytes[index] == 0x0A || bytes[index] == 0x0D { bytes[index] = 0x20 }
    }
}
