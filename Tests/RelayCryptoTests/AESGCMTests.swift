import Testing

@testable import RelayCrypto

/// Test Case 16 of McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)":
/// a 256-bit key, a 96-bit IV, 60 bytes of plaintext and 20 bytes of associated data.
private enum GCMCase16 {
    static let key = [UInt8](hex: "feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308")
    static let iv = [UInt8](hex: "cafebabefacedbaddecaf888")
    static let plaintext = [UInt8](
        hex: """
            d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
            1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b39
            """)
    static let aad = [UInt8](hex: "feedfacedeadbeeffeedfacedeadbeef abaddad2")
    static let ciphertext = [UInt8](
        hex: """
            522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
            8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662
            """)
    static let tag = [UInt8](hex: "76fc6ece0f4e1768cddf8853bb2d551b")
    static var sealed: AESGCM.Sealed { .init(ciphertext: ciphertext, tag: tag) }
}

@Suite("AES-256-GCM")
struct AESGCMTests {
    @Test("sealing GCM test case 16 gives the specification's ciphertext and tag")
    func sealKnownAnswer() throws {
        let sealed = try AESGCM.seal(
            GCMCase16.plaintext, key: GCMCase16.key, nonce: GCMCase16.iv, associatedData: GCMCase16.aad)
        #expect(sealed.ciphertext == GCMCase16.ciphertext)
        #expect(sealed.tag == GCMCase16.tag)
    }

    @Test("opening GCM test case 16 gives the specification's plaintext")
    func openKnownAnswer() throws {
        let plaintext = try AESGCM.open(
            GCMCase16.sealed, key: GCMCase16.key, nonce: GCMCase16.iv, associatedData: GCMCase16.aad)
        #expect(plaintext == GCMCase16.plaintext)
    }

    @Test("GCM test case 13: empty plaintext under the zero key still yields the tag")
    func emptyPlaintext() throws {
        let sealed = try AESGCM.seal([], key: [UInt8](repeating: 0, count: 32), nonce: [UInt8](repeating: 0, count: 12))
        #expect(sealed.ciphertext.isEmpty)
        #expect(sealed.tag.hex == "530f8afbc74536b9a963b4f1c4cb738b")
    }

    @Test("flipping any byte of the ciphertext is detected", arguments: 0..<GCMCase16.ciphertext.count)
    func tamperedCiphertext(index: Int) {
        var sealed = GCMCase16.sealed
        sealed.ciphertext[index] ^= 0x01
        expectAuthenticationFailure(sealed, aad: GCMCase16.aad)
    }

    @Test("flipping any byte of the tag is detected", arguments: 0..<AESGCM.tagSize)
    func tamperedTag(index: Int) {
        var sealed = GCMCase16.sealed
        sealed.tag[index] ^= 0x80
        expectAuthenticationFailure(sealed, aad: GCMCase16.aad)
    }

    @Test("flipping any byte of the associated data is detected", arguments: 0..<GCMCase16.aad.count)
    func tamperedAAD(index: Int) {
        var aad = GCMCase16.aad
        aad[index] ^= 0x01
        expectAuthenticationFailure(GCMCase16.sealed, aad: aad)
    }

    @Test("dropping the associated data or truncating the ciphertext is detected")
    func missingParts() {
        expectAuthenticationFailure(GCMCase16.sealed, aad: [])
        var truncated = GCMCase16.sealed
        truncated.ciphertext.removeLast()
        expectAuthenticationFailure(truncated, aad: GCMCase16.aad)
    }

    @Test("a wrong key fails authentication")
    func wrongKey() {
        var key = GCMCase16.key
        key[31] ^= 0x01
        #expect(throws: CryptoError(.authenticationFailed, operation: "AES-256-GCM open")) {
            try AESGCM.open(GCMCase16.sealed, key: key, nonce: GCMCase16.iv, associatedData: GCMCase16.aad)
        }
    }

    @Test("keys, nonces and tags of the wrong size are refused as invalid arguments")
    func wrongSizes() {
        let plaintext = Array("secret".utf8)
        for key in [[UInt8](repeating: 1, count: 16), [UInt8](repeating: 1, count: 33), []] {
            #expect(throws: CryptoError(.invalidArgument, operation: "AES-256-GCM seal")) {
                try AESGCM.seal(plaintext, key: key, nonce: GCMCase16.iv)
            }
        }
        #expect(throws: CryptoError(.invalidArgument, operation: "AES-256-GCM seal")) {
            try AESGCM.seal(plaintext, key: GCMCase16.key, nonce: [UInt8](repeating: 0, count: 16))
        }
        var shortTag = GCMCase16.sealed
        shortTag.tag = Array(shortTag.tag.prefix(12))
        #expect(throws: CryptoError(.invalidArgument, operation: "AES-256-GCM open")) {
            try AESGCM.open(shortTag, key: GCMCase16.key, nonce: GCMCase16.iv, associatedData: GCMCase16.aad)
        }
    }

    @Test("seal then open round-trips data of many lengths", arguments: [0, 1, 15, 16, 17, 4096, 100_003])
    func roundTrip(length: Int) throws {
        let key = try SecureRandom.bytes(AESGCM.keySize)
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let plaintext = try SecureRandom.bytes(length)
        let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, associatedData: [1, 2, 3])
        #expect(sealed.ciphertext.count == length)
        #expect(try AESGCM.open(sealed, key: key, nonce: nonce, associatedData: [1, 2, 3]) == plaintext)
    }

    private func expectAuthenticationFailure(
        _ sealed: AESGCM.Sealed, aad: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            throws: CryptoError(.authenticationFailed, operation: "AES-256-GCM open"),
            sourceLocation: sourceLocation
        ) {
            try AESGCM.open(sealed, key: GCMCase16.key, nonce: GCMCase16.iv, associatedData: aad)
        }
    }
}
