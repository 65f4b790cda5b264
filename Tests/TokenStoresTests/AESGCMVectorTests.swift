import Foundation
import RelayCrypto
import Testing

/// One AES-256-GCM known-answer vector, read from Fixtures/aes-256-gcm-vectors.json.
struct GCMVector: Decodable, CustomTestStringConvertible, Sendable {
    let name, key, iv, plaintext, aad, ciphertext, tag: String
    var testDescription: String { name }

    static let all: [GCMVector] = {
        struct File: Decodable { let vectors: [GCMVector] }
        let url = Fixtures.url("aes-256-gcm-vectors.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            return []
        }
        return file.vectors
    }()
}

enum Fixtures {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }
}

func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

@Suite("AES-256-GCM known answers (the encrypted store's cipher)")
struct AESGCMVectorTests {
    @Test("the vector file is present")
    func vectorsLoaded() {
        #expect(GCMVector.all.count == 4)
    }

    @Test("seal produces the specified ciphertext and tag", arguments: GCMVector.all)
    func seal(vector: GCMVector) throws {
        let sealed = try AESGCM.seal(
            hex(vector.plaintext), key: hex(vector.key), nonce: hex(vector.iv), associatedData: hex(vector.aad))
        #expect(sealed.ciphertext == hex(vector.ciphertext))
        #expect(sealed.tag == hex(vector.tag))
    }

    @Test("open returns the plaintext and rejects a changed tag", arguments: GCMVector.all)
    func open(vector: GCMVector) throws {
        let sealed = AESGCM.Sealed(ciphertext: hex(vector.ciphertext), tag: hex(vector.tag))
        let plaintext = try AESGCM.open(
            sealed, key: hex(vector.key), nonce: hex(vector.iv), associatedData: hex(vector.aad))
        #expect(plaintext == hex(vector.plaintext))
        var bad = sealed
        bad.tag[0] ^= 1
        #expect(throws: CryptoError.self) {
            try AESGCM.open(bad, key: hex(vector.key), nonce: hex(vector.iv), associatedData: hex(vector.aad))
        }
    }
}
