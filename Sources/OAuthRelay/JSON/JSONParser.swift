/// Why a text is not JSON, with the byte offset where reading stopped.
public enum JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(offset: Int, expected: String)
    case invalidUTF8(offset: Int)
    case tooDeep(offset: Int)

    public var description: String {
        switch self {
        case .syntax(let offset, let expected): "not valid JSON: expected \(expected) at byte \(offset)"
        case .invalidUTF8(let offset): "not valid JSON: invalid UTF-8 at byte \(offset)"
        case .tooDeep(let offset): "not valid JSON: nested deeper than \(JSONParser.maxDepth) at byte \(offset)"
        }
    }
}

/// Reads JSON text (RFC 8259) strictly: the whole grammar, UTF-8 checked inside strings, numbers
/// kept as their literal, and nesting bounded so hostile input cannot exhaust the stack.
///
/// It can build a `JSONValue` or only check a value and step over it, which is how messages
/// that are forwarded as they are get read without building anything.
struct JSONParser {
    /// Arrays and objects nested deeper than this are refused.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where reading continues.
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset >= bytes.count }

    /// Runs `body` over the bytes of `input`, copying them only when they are not contiguous.
    static func withBytes<Value>(
        of input: some Collection<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> Value
    ) throws(JSONParseError) -> Value {
        let direct = input.withContiguousStorageIfAvailable { buffer in
            catching { () throws(JSONParseError) in try body(buffer) }
        }
        if let direct { return try direct.get() }
        return try Array(input).withUnsafeBufferPointer { buffer in
            catching { () throws(JSONParseError) in try body(buffer) }
        }.get()
    }

    /// Turns a typed-throwing body into a `Result`, for the closures of APIs that only rethrow.
    static func catching<Value>(_ body: () throws(JSONParseError) -> Value) -> Result<Value, JSONParseError> {
        do throws(JSONParseError) { return .success(try body()) } catch { return .failure(error) }
    }

    // MARK: - Steps for callers that walk a message themselves

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// Steps over `byte` if it comes next (after whitespace).
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        guard consume(byte) else { throw fail(what) }
    }

    /// Throws unless only whitespace is left.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard atEnd else { throw fail("the end of the text") }
    }

    /// The byte that comes next after whitespace, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    func fail(_ expected: String) -> JSONParseError {
        .syntax(offset: offset, expected: expected)
    }

    // MARK: - Values

    /// Reads one value and builds it.
    mutating func value(depth: Int = 0) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw fail("a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            var object: [String: JSONValue] = [:]
            try container(closing: UInt8(ascii: "}"), depth: depth) { parser throws(JSONParseError) in
                let key = try parser.key()
                object[key] = try parser.value(depth: depth + 1)
            }
            return .object(object)
        case UInt8(ascii: "["):
            var array: [JSONValue] = []
            try container(closing: UInt8(ascii: "]"), depth: depth) { parser throws(JSONParseError) in
                array.append(try parser.value(depth: depth + 1))
            }
            return .array(array)
        case UInt8(ascii: "\""):
            return .string(try string(building: true) ?? "")
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            let range = try number()
            return .number(JSONNumber(validLiteral: String(decoding: slice(range), as: UTF8.self)))
        }
    }

    /// Checks one value and steps over it, building nothing.
    mutating func skipValue(depth: Int = 0) throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count else { throw fail("a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            try container(closing: UInt8(ascii: "}"), depth: depth) { parser throws(JSONParseError) in
                _ = try parser.string(building: false, what: "a member name")
                try parser.expect(UInt8(ascii: ":"), "':'")
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            try container(closing: UInt8(ascii: "]"), depth: depth) { parser throws(JSONParseError) in
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "\""): _ = try string(building: false)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// A member name and its colon.
    mutating func key() throws(JSONParseError) -> String {
        let name = try string(building: true, what: "a member name") ?? ""
        try expect(UInt8(ascii: ":"), "':'")
        return name
    }

    /// The bytes of `range`, which must lie within the text.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// Reads `[…]` or `{…}`: the opening byte is next; `element` reads one element each time.
    private mutating func container(
        closing: UInt8, depth: Int, element: (inout JSONParser) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard depth < Self.maxDepth else { throw .tooDeep(offset: offset) }
        offset += 1
        if consume(closing) { return }
        while true {
            try element(&self)
            if consume(closing) { return }
            try expect(UInt8(ascii: ","), closing == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw fail("'\(word)'") }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] {
            throw fail("'\(word)'")
        }
        offset += count
    }

    // MARK: - Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns the literal's range.
    private mutating func number() throws(JSONParseError) -> Range<Int> {
        let start = offset
        if next == UInt8(ascii: "-") { offset += 1 }
        guard let first = next, isDigit(first) else { throw fail("a value") }
        offset += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if next == UInt8(ascii: ".") {
            offset += 1
            guard let digit = next, isDigit(digit) else { throw fail("a digit after '.'") }
            skipDigits()
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            offset += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { offset += 1 }
            guard let digit = next, isDigit(digit) else { throw fail("a digit in the exponent") }
            skipDigits()
        }
        return start..<offset
    }

    private var next: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    private mutating func skipDigits() {
        while let byte = next, isDigit(byte) { offset += 1 }
    }

    // MARK: - Strings

    /// Reads a string; its opening quote comes next, after whitespace. Returns its value when `building`, else nil.
    mutating func string(building: Bool, what: String = "a string") throws(JSONParseError) -> String? {
        skipWhitespace()
        guard next == UInt8(ascii: "\"") else { throw fail(what) }
        offset += 1
        var decoded: [UInt8] = []
        var segment = offset
        var escaped = false
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                let end = offset
                offset += 1
                guard building else { return nil }
                guard escaped else { return String(decoding: slice(segment..<end), as: UTF8.self) }
                decoded.append(contentsOf: slice(segment..<end))
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if building { decoded.append(contentsOf: slice(segment..<offset)) }
                escaped = true
                offset += 1
                try escape(into: &decoded, building: building)
                segment = offset
            case 0x00..<0x20:
                throw fail("no control character inside a string (escape it)")
            case 0x80...:
                guard let length = utf8SequenceLength(at: offset) else { throw .invalidUTF8(offset: offset) }
                offset += length
            default:
                offset += 1
            }
        }
        throw fail("'\"' to end the string")
    }

    /// One escape after its backslash.
    private mutating func escape(into decoded: inout [UInt8], building: Bool) throws(JSONParseError) {
        guard let byte = next else { throw fail("an escape") }
        offset += 1
        let simple: UInt8? =
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            if building { decoded.append(simple) }
            return
        }
        guard byte == UInt8(ascii: "u") else {
            offset -= 1
            throw fail("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u")
        }
        var scalar = try hexQuad()
        if (0xD800...0xDBFF).contains(scalar), offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
            bytes[offset + 1] == UInt8(ascii: "u")
        {
            let mark = offset
            offset += 2
            let low = try hexQuad()
            if (0xDC00...0xDFFF).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
                offset = mark  // not a pair: the second escape is read on its own
            }
        }
        // A lone surrogate is grammatical JSON but no character; it becomes U+FFFD.
        if building { UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { decoded.append($0) } }
    }

    private mutating func hexQuad() throws(JSONParseError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw fail("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw fail("four hex digits")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence at `index` (Unicode table 3-7), else nil.
    private func utf8SequenceLength(at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: return nil
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return nil }
        for continuation in (index + 2)..<(index + length) where !(0x80...0xBF).contains(bytes[continuation]) {
            return nil
        }
        return length
    }
}

extension JSONValue {
    /// Parses one JSON text (RFC 8259): one value with optional whitespace around it.
    /// - Throws: `JSONParseError` naming the byte where the text stops being JSON.
    public init(parsing text: some Collection<UInt8>) throws(JSONParseError) {
        self = try JSONParser.withBytes(of: text) { buffer throws(JSONParseError) in
            var parser = JSONParser(buffer)
            let value = try parser.value()
            try parser.expectEnd()
            return value
        }
    }
}
