import Testing

@testable import RelayCrypto

@Suite("Base64URL")
struct Base64URLTests {
    @Test(
        "encodes the RFC 4648 §10 examples without padding",
        arguments: [
            ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ])
    func rfc4648(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test("uses - and _ where base64 would use + and /")
    func urlAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test("accepts optional padding")
    func padding() {
        #expect(Base64URL.decode("Zg==") == Array("f".utf8))
        #expect(Base64URL.decode("Zm8=") == Array("fo".utf8))
    }

    @Test("round-trips every length of random bytes", arguments: 0..<40)
    func roundTrip(length: Int) throws {
        let bytes = try SecureRandom.bytes(length)
        let text = Base64URL.encode(bytes)
        #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test(
        "rejects characters outside the base64url alphabet and impossible lengths",
        arguments: [
            "+/8", "ab/c", "a b", "Zm9v\n", "Zm9v!", "Zm9vé", "Z", "Zm9vY", "Zg===", "=Zg", "Z=g=", "Zg=a",
        ])
    func rejects(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite("ConstantTime and SecureZero")
struct ConstantTimeTests {
    @Test("equal byte sequences compare equal", arguments: [[], [0], [1, 2, 3], [UInt8](repeating: 7, count: 1000)])
    func equal(bytes: [UInt8]) {
        #expect(ConstantTime.equals(bytes, bytes))
    }

    @Test("sequences differing anywhere, or in length, compare unequal")
    func unequal() {
        let base: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        for index in base.indices {
            var changed = base
            changed[index] ^= 0x40
            #expect(!ConstantTime.equals(base, changed))
        }
        #expect(!ConstantTime.equals(base, Array(base.dropLast())))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test("strings compare by their UTF-8 bytes")
    func strings() {
        #expect(ConstantTime.equals("state-é", "state-é"))
        #expect(!ConstantTime.equals("state", "State"))
        #expect(!ConstantTime.equals("é", "e\u{301}"))
    }

    @Test("wipe overwrites every byte with zero")
    func wipe() {
        var secret: [UInt8] = Array("hunter2".utf8)
        SecureZero.wipe(&secret)
        #expect(secret == [UInt8](repeating: 0, count: 7))
    }
}

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("returns exactly the number of bytes asked for", arguments: [0, 1, 12, 32, 1024])
    func sizes(count: Int) throws {
        #expect(try SecureRandom.bytes(count).count == count)
    }

    @Test("1,000 tokens of 32 bytes are all different and 43 base64url characters long")
    func uniqueTokens() throws {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let token = try SecureRandom.token()
            #expect(token.count == 43)
            #expect(Base64URL.decode(token)?.count == 32)
            seen.insert(token)
        }
        #expect(seen.count == 1000)
    }

    @Test("32 random bytes are not all zero")
    func notZero() throws {
        #expect(try SecureRandom.bytes(32) != [UInt8](repeating: 0, count: 32))
    }
}

@Suite("scrypt (RFC 7914)")
struct ScryptTests {
    @Test("RFC 7914 §12 vector 1: empty password and salt, N=16, r=1, p=1")
    func vector1() throws {
        let key = try Scrypt.derive(password: [], salt: [], parameters: .init(n: 16, r: 1, p: 1), length: 64)
        #expect(
            key.hex == """
                77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442\
                fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906
                """)
    }

    @Test("RFC 7914 §12 vector 2: \"password\" and \"NaCl\", N=1024, r=8, p=16")
    func vector2() throws {
        let key = try Scrypt.derive(
            password: Array("password".utf8), salt: Array("NaCl".utf8),
            parameters: .init(n: 1024, r: 8, p: 16), length: 64)
        #expect(
            key.hex == """
                fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162\
                2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640
                """)
    }

    @Test("N that is not a power of two is refused")
    func badCost() {
        #expect(throws: CryptoError(.library, operation: "scrypt")) {
            try Scrypt.derive(password: [1], salt: [2], parameters: .init(n: 1000, r: 1, p: 1), length: 32)
        }
    }
}
