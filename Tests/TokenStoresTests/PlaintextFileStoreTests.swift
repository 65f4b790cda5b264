import Foundation
import Testing

@testable import TokenStores

@Suite("Plaintext file store")
struct PlaintextFileStoreTests {
    @Test("store, load, clear and list round trip")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = PlaintextFileStore(path: "\(directory.path)/oauth-relay/tokens.json")
        let first = Samples.tokens()
        let second = Samples.tokens()

        #expect(try store.load(Samples.key) == nil)
        try store.save(first, for: Samples.key)
        try store.save(second, for: Samples.otherKey)
        #expect(try store.load(Samples.key) == first)
        #expect(try store.load(Samples.otherKey) == second)
        #expect(try store.entries().map(\.key) == [Samples.key, Samples.otherKey])

        try store.clear(Samples.key)
        #expect(try store.load(Samples.key) == nil)
        #expect(try store.load(Samples.otherKey) == second)
        try store.clear(Samples.key)
        try store.clear(Samples.otherKey)
        #expect(try store.entries().isEmpty)
    }

    @Test("an 8 KiB access token round-trips unchanged (CASES 13)")
    func longToken() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = PlaintextFileStore(path: "\(directory.path)/tokens.json")
        let tokens = Samples.tokens(Samples.longToken)
        try store.save(tokens, for: Samples.key)
        #expect(try store.load(Samples.key)?.accessToken == Samples.longToken)
    }

    @Test("the file is compact single-line JSON keyed by storage ID (CASES 20)")
    func compactJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.json"
        try PlaintextFileStore(path: path).save(Samples.tokens(), for: Samples.key)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("\n"))
        #expect(text.contains("\"\(Samples.key.storageID)\""))
        #expect(text.contains("\"format\":1"))
    }

    @Test("directory is 0700 and file 0600 even with a permissive umask")
    func modes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/nested/oauth-relay/tokens.json"
        try PlaintextFileStore(path: path).save(Samples.tokens(), for: Samples.key)
        #expect(mode(of: "\(directory.path)/nested/oauth-relay") == 0o700)
        #expect(mode(of: path) == 0o600)
    }

    @Test("a symlinked token file is refused")
    func symlinkRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let real = "\(directory.path)/real.json"
        let link = "\(directory.path)/tokens.json"
        try PlaintextFileStore(path: real).save(Samples.tokens(), for: Samples.key)
        #expect(symlink(real, link) == 0)
        let store = PlaintextFileStore(path: link)
        #expect(throws: TokenStoreError.self) { try store.load(Samples.key) }
        let error = try #require(throws: TokenStoreError.self) { try store.save(Samples.tokens(), for: Samples.key) }
        #expect(error.code == .notSecure)
        #expect(error.message.contains("symbolic link"))
    }

    @Test("a group- or world-readable file is refused with the chmod fix", arguments: [0o640, 0o604, 0o666])
    func looseModeRefused(fileMode: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.json"
        let store = PlaintextFileStore(path: path)
        try store.save(Samples.tokens(), for: Samples.key)
        #expect(chmod(path, mode_t(fileMode)) == 0)
        let error = try #require(throws: TokenStoreError.self) { try store.load(Samples.key) }
        #expect(error.code == .notSecure)
        #expect(error.message.contains("chmod 600 \(path)"))
    }

    @Test("a world-writable directory is refused")
    func looseDirectoryRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(mkdir("\(directory.path)/open", 0o777) == 0)
        #expect(chmod("\(directory.path)/open", 0o777) == 0)
        let store = PlaintextFileStore(path: "\(directory.path)/open/tokens.json")
        let error = try #require(throws: TokenStoreError.self) { try store.save(Samples.tokens(), for: Samples.key) }
        #expect(error.code == .notSecure)
    }

    @Test("a FIFO at the token path is refused at once, not waited on", .timeLimit(.minutes(1)))
    func fifoRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.json"
        #expect(mkfifo(path, 0o600) == 0)
        let error = #expect(throws: TokenStoreError.self) {
            try PlaintextFileStore(path: path).load(Samples.key)
        }
        #expect(error?.message.contains("not a regular file") == true, "\(String(describing: error))")
    }

    @Test("corrupt JSON is reported without quoting the file")
    func corruptFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/tokens.json"
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data("{\"tokens\": secret-value".utf8), attributes: [.posixPermissions: 0o600]))
        let error = try #require(throws: TokenStoreError.self) { try PlaintextFileStore(path: path).load(Samples.key) }
        #expect(error.code == .corrupt)
        #expect(!error.message.contains("secret-value"))
    }

    @Test("client registrations are stored per issuer next to the tokens")
    func clientRegistrations() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = PlaintextFileStore(path: "\(directory.path)/tokens.json")
        let registration = ClientRegistration(
            issuer: Samples.key.issuer, clientID: "dyn-1", redirectURIs: ["http://127.0.0.1/callback"],
            registeredAt: Date(timeIntervalSince1970: 1_800_000_000))
        try store.saveClient(registration)
        #expect(try store.loadClient(issuer: Samples.key.issuer) == registration)
        try store.clearClient(issuer: Samples.key.issuer)
        #expect(try store.loadClient(issuer: Samples.key.issuer) == nil)
    }

    @Test("the per-key lock excludes other threads; read-modify-write under it loses nothing")
    func keyLockExcludes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = PlaintextFileStore(path: "\(directory.path)/tokens.json")
        try store.save(Samples.tokens("0"), for: Samples.key)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<25 {
                        try? store.withLock(Samples.key) {
                            let current = Int(try store.load(Samples.key)?.accessToken ?? "0") ?? 0
                            try store.save(Samples.tokens("\(current + 1)"), for: Samples.key)
                        }
                    }
                }
            }
        }
        #expect(try store.load(Samples.key)?.accessToken == "100")
    }
}
