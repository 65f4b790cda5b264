import Foundation
import RelayCrypto
import Testing

@testable import TokenStores

@Suite("Encrypted file store")
struct EncryptedFileStoreTests {
    static let fixtureTokens = TokenSet(
        accessToken: "fixture-access-token-v1", refreshToken: "fixture-refresh-token-v1",
        expiresAt: Date(timeIntervalSince1970: 1_900_000_000), scope: "notes:read")

    static func passphrase(_ text: String = "correct horse battery staple") throws -> EncryptionSecret {
        try EncryptionSecret(passphrase: Array(text.utf8), source: "test passphrase")
    }

    static func keySecret(_ fill: UInt8 = 7) throws -> EncryptionSecret {
        try EncryptionSecret(key: [UInt8](repeating: fill, count: 32), source: "test key")
    }

    @Test("store, load, clear round trip with a passphrase and with a key", arguments: [true, false])
    func roundTrip(usePassphrase: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let secret = usePassphrase ? try Self.passphrase() : try Self.keySecret()
        let store = EncryptedFileStore(path: "\(directory.path)/tokens.enc", secret: secret)
        let tokens = Samples.tokens(Samples.longToken)
        try store.save(tokens, for: Samples.key)
        try store.save(Samples.tokens(), for: Samples.otherKey)
        #expect(try store.load(Samples.key) == tokens)
        // A second store (a second process) reads what the first wrote.
        #expect(try EncryptedFileStore(path: store.path, secret: secret).load(Samples.key) == tokens)
        try store.clear(Samples.key)
        #expect(try store.load(Samples.key) == nil)
        #expect(try store.entries().count == 1)
        #expect(mode(of: store.path) == 0o600)
    }

    @Test("no token byte appears anywhere on disk")
    func nothingInTheClear() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = EncryptedFileStore(path: "\(directory.path)/tokens.enc", secret: try Self.passphrase())
        let tokens = Samples.tokens()
        try store.save(tokens, for: Samples.key)
        #expect(!directoryContains(directory.path, tokens.accessToken))
        #expect(!directoryContains(directory.path, tokens.refreshToken ?? "?"))
        #expect(!directoryContains(directory.path, "correct horse"))
        #expect(!directoryContains(directory.path, "access_token"))
    }

    @Test("one flipped bit anywhere in the file is detected")
    func everyByteAuthenticated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.enc"
        let secret = try Self.keySecret()
        try EncryptedFileStore(path: path, secret: secret).save(Samples.tokens(), for: Samples.key)
        let original = try #require(FileManager.default.contents(atPath: path))
        for index in 0..<original.count {
            var damaged = [UInt8](original)
            damaged[index] ^= 0x01
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            #expect(throws: TokenStoreError.self, "byte \(index)") {
                try EncryptedFileStore(path: path, secret: secret).load(Samples.key)
            }
        }
    }

    @Test("a flipped header byte of a passphrase file is detected")
    func passphraseHeaderAuthenticated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.enc"
        let store = EncryptedFileStore(path: path, secret: try Self.passphrase())
        try store.save(Samples.tokens(), for: Samples.key)
        let original = try #require(FileManager.default.contents(atPath: path))
        for index in 0..<(EncryptedFileHeader.fixedSize + EncryptedFileHeader.saltSize + AESGCM.nonceSize) {
            var damaged = [UInt8](original)
            damaged[index] ^= 0x01
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            #expect(throws: TokenStoreError.self, "byte \(index)") { try store.load(Samples.key) }
        }
    }

    @Test("a wrong passphrase says so, distinct from not found and unsupported version")
    func wrongPassphrase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.enc"
        try EncryptedFileStore(path: path, secret: try Self.passphrase()).save(Samples.tokens(), for: Samples.key)
        let wrong = EncryptedFileStore(path: path, secret: try Self.passphrase("wrong"))
        let error = try #require(throws: TokenStoreError.self) { try wrong.load(Samples.key) }
        #expect(error.code == .wrongPassphrase)
        #expect(error.message.contains("wrong key or passphrase, or a corrupted file"))
        #expect(error.message.contains("written with a passphrase)"))
        #expect(!error.message.contains("wrong\""))
        let key = EncryptedFileStore(
            path: path, secret: try EncryptionSecret(key: Array(repeating: 7, count: 32), source: "k"))
        let mismatch = try #require(throws: TokenStoreError.self) { try key.load(Samples.key) }
        #expect(mismatch.message.contains("encrypted with a passphrase, but a key file is configured"))

        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        bytes[8] = 2
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let version = try #require(throws: TokenStoreError.self) { try wrong.load(Samples.key) }
        #expect(version.code == .unsupportedVersion)
        #expect(
            try EncryptedFileStore(path: "\(directory.path)/missing.enc", secret: Self.passphrase())
                .load(Samples.key) == nil)
    }

    @Test("a key file cannot open a passphrase file and vice versa")
    func kindMismatch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.enc"
        try EncryptedFileStore(path: path, secret: try Self.passphrase()).save(Samples.tokens(), for: Samples.key)
        let error = try #require(throws: TokenStoreError.self) {
            try EncryptedFileStore(path: path, secret: Self.keySecret()).load(Samples.key)
        }
        #expect(error.code == .misconfigured)
    }

    @Test("10,000 writes never repeat a nonce")
    func uniqueNonces() throws {
        let codec = EncryptedCodec(secret: try Self.keySecret())
        var seen = Set<[UInt8]>()
        let offset = EncryptedFileHeader.fixedSize
        for _ in 0..<10_000 {
            let stored = try codec.encode(Array("{}".utf8), path: "memory")
            seen.insert(Array(stored[offset..<offset + AESGCM.nonceSize]))
        }
        #expect(seen.count == 10_000)
    }

    @Test("consecutive saves to the file use fresh nonces")
    func fileNoncesChange() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.enc"
        let store = EncryptedFileStore(path: path, secret: try Self.passphrase())
        var seen = Set<[UInt8]>()
        let offset = EncryptedFileHeader.fixedSize + EncryptedFileHeader.saltSize
        for _ in 0..<50 {
            try store.save(Samples.tokens(), for: Samples.key)
            let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
            seen.insert(Array(bytes[offset..<offset + AESGCM.nonceSize]))
        }
        #expect(seen.count == 50)
    }

    @Test("the format version 1 fixture is read by this build")
    func versionOneFixture() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Git does not keep mode 0600, so copy the fixture into a private file first.
        let path = "\(directory.path)/tokens.enc"
        try FileManager.default.copyItem(atPath: Fixtures.url("tokens-v1.enc").path, toPath: path)
        #expect(chmod(path, 0o600) == 0)
        let passphrase = [UInt8](try Data(contentsOf: Fixtures.url("tokens-v1.passphrase")))
        let secret = try EncryptionSecret(
            passphrase: EncryptionSecret.passphraseFileContent(passphrase), source: "fixture")
        #expect(try EncryptedFileStore(path: path, secret: secret).load(Samples.key) == Self.fixtureTokens)
    }

    @Test(
        "a passphrase file loses exactly one trailing newline",
        arguments: [
            ("secret", "secret"), ("secret\n", "secret"), ("secret\r\n", "secret"), ("secret\n\n", "secret\n"),
            ("secret\r", "secret\r"), (" secret ", " secret "),
        ])
    func passphraseNewlineRule(content: String, expected: String) {
        #expect(EncryptionSecret.passphraseFileContent(Array(content.utf8)) == Array(expected.utf8))
    }

    @Test("an empty passphrase is refused, not treated as unset")
    func emptyPassphrase() {
        let error = #expect(throws: TokenStoreError.self) {
            try EncryptionSecret(passphrase: EncryptionSecret.passphraseFileContent(Array("\n".utf8)), source: "file")
        }
        #expect(error?.code == .noPassphrase)
    }

    @Test("a key must be 32 bytes; 64 hex digits are accepted")
    func keySizes() throws {
        #expect(throws: TokenStoreError.self) { try EncryptionSecret(key: [1, 2, 3], source: "k") }
        let hexKey = Array((String(repeating: "ab", count: 32) + "\n").utf8)
        #expect(EncryptionSecret.keyFileContent(hexKey) == [UInt8](repeating: 0xab, count: 32))
    }

    @Test("the secret's description is redacted")
    func redacted() throws {
        #expect(!"\(try Self.passphrase("hunter2"))".contains("hunter2"))
    }
}
