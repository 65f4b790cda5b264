import Testing

@testable import MicroHTTP

@Suite("FormEncoding")
struct FormEncodingTests {
    struct DecodeCase: Sendable, CustomTestStringConvertible {
        let text: String
        let pairs: [[String]]
        var testDescription: String { "\"\(text)\"" }
    }

    static let decodable: [DecodeCase] = [
        DecodeCase(text: "", pairs: []),
        DecodeCase(text: "a=b", pairs: [["a", "b"]]),
        DecodeCase(text: "a=1&a=2&b=3", pairs: [["a", "1"], ["a", "2"], ["b", "3"]]),
        DecodeCase(text: "x=a+b%20c", pairs: [["x", "a b c"]]),
        DecodeCase(text: "x=%2B%26%3D%25", pairs: [["x", "+&=%"]]),
        DecodeCase(text: "x=%c3%a9%C3%A9", pairs: [["x", "éé"]]),
        DecodeCase(text: "flag", pairs: [["flag", ""]]),
        DecodeCase(text: "empty=", pairs: [["empty", ""]]),
        DecodeCase(text: "=value", pairs: [["", "value"]]),
        DecodeCase(text: "a==b", pairs: [["a", "=b"]]),
        DecodeCase(text: "&&a=1&&", pairs: [["a", "1"]]),
        DecodeCase(text: "%61%62=%63", pairs: [["ab", "c"]]),
    ]

    @Test("decodes form text into ordered pairs", arguments: decodable)
    func decode(_ example: DecodeCase) throws {
        let pairs = try #require(FormEncoding.decode(example.text))
        #expect(pairs.map { [$0.name, $0.value] } == example.pairs)
    }

    @Test(
        "malformed percent escapes and invalid UTF-8 are refused",
        arguments: [
            "a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=%%41", "a=%FF", "a=%C3", "a=%C3%28", "%E2%82=1",
        ])
    func malformed(text: String) {
        #expect(FormEncoding.decode(text) == nil)
    }

    @Test(
        "escape keeps only RFC 3986 unreserved characters",
        arguments: [
            ("AZaz09-._~", "AZaz09-._~"),
            (" ", "%20"),
            ("+&=%/?#", "%2B%26%3D%25%2F%3F%23"),
            ("\n\u{0}", "%0A%00"),
            ("é€", "%C3%A9%E2%82%AC"),
            ("https://api.example.test", "https%3A%2F%2Fapi.example.test"),
        ])
    func escape(plain: String, escaped: String) {
        #expect(FormEncoding.escape(plain) == escaped)
    }

    @Test("encode then decode returns the same pairs, including awkward characters")
    func roundTrip() throws {
        let pairs: [(name: String, value: String)] = [
            ("grant_type", "authorization_code"), ("redirect_uri", "http://127.0.0.1:1234/callback"),
            ("a b", "c+d&e=f"), ("emoji", "🔑"), ("empty", ""), ("grant_type", "again"),
        ]
        let encoded = FormEncoding.encode(pairs)
        #expect(encoded.hasPrefix("grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1234"))
        let decoded = try #require(FormEncoding.decode(encoded))
        #expect(decoded.map { [$0.name, $0.value] } == pairs.map { [$0.name, $0.value] })
    }
}

@Suite("htmlEscape and HTTPRequest helpers")
struct HTMLAndRequestTests {
    @Test(
        "htmlEscape replaces the five significant characters",
        arguments: [
            ("plain", "plain"),
            ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            ("a & b", "a &amp; b"),
            ("\"quoted\"", "&quot;quoted&quot;"),
            ("&amp;", "&amp;amp;"),
            ("é 🔑", "é 🔑"),
        ])
    func escape(text: String, escaped: String) {
        #expect(htmlEscape(text) == escaped)
    }

    @Test("header lookup is case-insensitive and returns the first value")
    func headers() {
        let request = HTTPRequest(
            method: "GET", path: "/", headers: [("Content-Type", "a"), ("content-type", "b")])
        #expect(request.header("CONTENT-TYPE") == "a")
        #expect(request.header("accept") == nil)
    }

    @Test("queryValue is nil for an absent or repeated parameter; queryValues keeps repeats")
    func queryValues() {
        let request = HTTPRequest(
            method: "GET", path: "/", query: [("state", "1"), ("code", "c"), ("state", "2")])
        #expect(request.queryValue("code") == "c")
        #expect(request.queryValue("state") == nil)
        #expect(request.queryValue("missing") == nil)
        #expect(request.queryValues("state") == ["1", "2"])
    }

    @Test("formValues parses a form body and refuses invalid bytes")
    func formValues() {
        let good = HTTPRequest(method: "POST", path: "/", body: Array("a=1&b=x+y".utf8))
        #expect(good.formValues()?.map { [$0.name, $0.value] } == [["a", "1"], ["b", "x y"]])
        let notUTF8 = HTTPRequest(method: "POST", path: "/", body: [0x61, 0x3d, 0xff])
        #expect(notUTF8.formValues() == nil)
    }
}
