import Testing

@testable import OAuthRelay

@Suite("JSON: reading and writing (RFC 8259)")
struct JSONParserTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let value: JSONValue
        var testDescription: String { text }
    }

    static let valid: [Valid] = [
        Valid(text: "null", value: .null),
        Valid(text: " \t\r\n true \n", value: true),
        Valid(text: "[]", value: []),
        Valid(text: "{}", value: [:]),
        Valid(
            text: #"{"a":[1,-2.5,0,-0,1e10,1E-2,false,null,"x"]}"#,
            value: [
                "a": [
                    1, .double(-2.5), 0, .number(JSONNumber(validLiteral: "-0")), .double(1e10), .double(0.01), false,
                    .null, "x",
                ]
            ]),
        Valid(text: #""\"\\\/\b\f\n\r\t""#, value: "\"\\/\u{08}\u{0C}\n\r\t"),
        Valid(text: #""\u00e9\u00E9""#, value: "éé"),
        Valid(text: #""\ud83d\ude00""#, value: "😀"),
        Valid(text: #""\ud800 lone""#, value: "\u{FFFD} lone"),
        Valid(text: #""\udc00\ud800\u0041""#, value: "\u{FFFD}\u{FFFD}A"),
        Valid(text: "\"é😀 ü\"", value: "é😀 ü"),
        Valid(text: #"{"a":1,"a":2}"#, value: ["a": 2]),
    ]

    @Test("reads every kind of value", arguments: valid)
    func reads(_ example: Valid) throws {
        #expect(try JSONValue(parsing: Array(example.text.utf8)) == example.value)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let bytes: [UInt8]
        let name: String
        init(_ text: String) {
            bytes = Array(text.utf8)
            name = text.isEmpty ? "(empty)" : text
        }
        init(bytes: [UInt8], _ name: String) {
            self.bytes = bytes
            self.name = name
        }
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(""), Invalid("   "), Invalid("{"), Invalid("[1,]"), Invalid(#"{"a":1,}"#), Invalid(#"{"a" 1}"#),
        Invalid("{a:1}"), Invalid("01"), Invalid("1."), Invalid(".5"), Invalid("-"), Invalid("1e"), Invalid("1e+"),
        Invalid("+1"), Invalid("NaN"), Invalid("Infinity"), Invalid("tru"), Invalid("nul"), Invalid("1 2"),
        Invalid("[1] x"), Invalid(#""\x""#), Invalid(#""\u12""#), Invalid(#""\u12G4""#), Invalid(#""abc"#),
        Invalid("\"a\u{01}b\""), Invalid("\"a\nb\""), Invalid("'a'"), Invalid("[1;2]"),
        Invalid(bytes: [0x22, 0xC0, 0xAF, 0x22], "overlong UTF-8"),
        Invalid(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], "a surrogate encoded in UTF-8"),
        Invalid(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "a code point above U+10FFFF"),
        Invalid(bytes: [0x22, 0xE2, 0x82, 0x22], "a truncated sequence"),
        Invalid(bytes: [0x22, 0x80, 0x22], "a lone continuation byte"),
        Invalid(bytes: [0x22, 0xFF, 0x22], "a byte that is never UTF-8"),
        Invalid(bytes: [0xC3, 0xA9], "UTF-8 outside a string"),
    ]

    @Test("refuses what is not JSON", arguments: invalid)
    func refuses(_ example: Invalid) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: example.bytes) }
    }

    @Test("the error names the byte where the text stops being JSON")
    func errorOffset() {
        #expect(throws: JSONParseError.syntax(offset: 6, expected: "',' or ']'")) {
            try JSONValue(parsing: Array("[1, 2 3]".utf8))
        }
        #expect(throws: JSONParseError.invalidUTF8(offset: 2)) { try JSONValue(parsing: [0x22, 0x61, 0xFF, 0x22]) }
    }

    @Test("nesting is bounded: 512 levels are read, 513 are refused without exhausting the stack")
    func depth() throws {
        let deepest =
            String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONValue(parsing: Array(deepest.utf8))
        let tooDeep = "[" + deepest + "]"
        #expect(throws: JSONParseError.tooDeep(offset: JSONParser.maxDepth)) {
            try JSONValue(parsing: Array(tooDeep.utf8))
        }
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONParseError.self) { try RawMessage(Array(hostile.utf8)) }
    }

    @Test("writes compact text with sorted members, escapes only what JSON needs, numbers as read")
    func writes() throws {
        let value = try JSONValue(
            parsing: Array(#"{"z":1.50,"a":"x/y\u0001\n\"é","m":[18446744073709551617,-0]}"#.utf8))
        #expect(value.description == #"{"a":"x/y\u0001\n\"é","m":[18446744073709551617,-0],"z":1.50}"#)
        #expect(!value.serialized().contains(0x0A))
    }

    @Test("whatever is written reads back as the same value", arguments: valid)
    func roundTrip(_ example: Valid) throws {
        #expect(try JSONValue(parsing: example.value.serialized()) == example.value)
    }
}

@Suite("JSON numbers: exact, whatever their size")
struct JSONNumberTests {
    private func number(_ text: String) throws -> JSONNumber {
        guard case .number(let number) = try JSONValue(parsing: Array(text.utf8)) else {
            throw JSONParseError.syntax(offset: 0, expected: "a number")
        }
        return number
    }

    @Test("one value written in different ways is one number", arguments: ["1", "1.0", "10e-1", "0.1e1", "100E-2"])
    func sameValue(text: String) throws {
        #expect(try number(text) == number("1"))
        #expect(try number(text).hashValue == number("1").hashValue)
        #expect(try number(text).text == text)
    }

    @Test("numbers that a Double cannot tell apart stay apart")
    func beyondDouble() throws {
        #expect(try number("18446744073709551617") != number("18446744073709551616"))
        #expect(try number("9007199254740993") != number("9007199254740992"))
        #expect(try number("0.30000000000000001") != number("0.3"))
        #expect(try number("-0") == number("0"))
        #expect(try number("2") != number("-2"))
        #expect(try number("1e400") != number("1e401"))
        #expect(try number("1e1099511627776") != number("1e1099511627777"))
        #expect(try number("1e1099511627776") == number("1e1099511627776"))
        #expect(try number("2e9999999999999999999") != number("3e9999999999999999999"))
        #expect(try number("1e-0000000000000000000001") == number("0.1"))
    }

    @Test("whole numbers in range read as Int64, others do not")
    func integers() throws {
        #expect(try number("3.0").int64Value == 3)
        #expect(try number("1e3").int64Value == 1000)
        #expect(try number("-9223372036854775808").int64Value == Int64.min)
        #expect(try number("9223372036854775808").int64Value == nil)
        #expect(try number("1.5").int64Value == nil)
        #expect(try number("1.5").doubleValue == 1.5)
    }

    @Test("doubles are written in JSON's grammar; infinities and NaN are not numbers")
    func fromDouble() {
        #expect(JSONNumber(5.0)?.text == "5")
        #expect(JSONNumber(1.5)?.text == "1.5")
        #expect(JSONNumber(1e20).map { $0 == JSONNumber(validLiteral: "1e20") } == true)
        #expect(JSONNumber(.infinity) == nil)
        #expect(JSONNumber(.nan) == nil)
        #expect(JSONValue.double(.infinity) == .null)
    }
}
