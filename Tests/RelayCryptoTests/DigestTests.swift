import Testing

@testable import RelayCrypto

@Suite("SHA-256 and HMAC-SHA256 known answers")
struct DigestTests {
    @Test("SHA-256 of \"abc\" is the FIPS 180-4 example digest")
    func sha256OfABC() {
        #expect(Digest.sha256("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("SHA-256 of the empty message is the well-known empty digest")
    func sha256OfNothing() {
        #expect(Digest.sha256([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-256 of the two-block FIPS 180-4 message")
    func sha256TwoBlocks() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(Digest.sha256(message).hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    struct HMACCase: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let message: [UInt8]
        let expected: String
        var testDescription: String { name }
    }

    static let rfc4231: [HMACCase] = [
        HMACCase(
            name: "RFC 4231 test case 1",
            key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
            expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACCase(
            name: "RFC 4231 test case 2 (key shorter than the output)",
            key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
            expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACCase(
            name: "RFC 4231 test case 6 (131-byte key, hashed first)",
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ]

    @Test("HMAC-SHA256 matches RFC 4231", arguments: rfc4231)
    func hmac(_ vector: HMACCase) throws {
        #expect(try Digest.hmacSHA256(key: vector.key, message: vector.message).hex == vector.expected)
    }

    @Test("HMAC-SHA256 accepts an empty key and an empty message")
    func hmacEmpty() throws {
        let mac = try Digest.hmacSHA256(key: [], message: [])
        #expect(mac.hex == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
