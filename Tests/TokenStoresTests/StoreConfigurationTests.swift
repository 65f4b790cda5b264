import Foundation
import Testing

@testable import TokenStores

@Suite("Store configuration, auto selection and the store command")
struct StoreConfigurationTests {
    static func environment(_ directory: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": directory, "XDG_CONFIG_HOME": "\(directory)/config"].merging(extra) { $1 }
    }

    @Test("an unknown backend name is refused with the list of valid ones")
    func invalidBackend() {
        let error = #expect(throws: TokenStoreError.self) {
            try StoreConfiguration(environment: ["HOME": "/tmp", "RELAY_TOKEN_STORE": "foo"])
        }
        #expect(
            error?.message == "RELAY_TOKEN_STORE=foo is not a store backend; "
                + "use auto, secret-service, encrypted-file or plaintext")
    }

    @Test("default paths follow XDG, RELAY_TOKEN_PATH overrides them")
    func paths() throws {
        let configuration = try StoreConfiguration(environment: ["HOME": "/home/u"])
        #expect(configuration.backend == .auto)
        #expect(configuration.plaintextPath == "/home/u/.config/oauth-relay/tokens.json")
        #expect(configuration.encryptedPath == "/home/u/.config/oauth-relay/tokens.enc")
        let xdg = try StoreConfiguration(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/x"])
        #expect(xdg.plaintextPath == "/x/oauth-relay/tokens.json")
        let explicit = try StoreConfiguration(environment: ["HOME": "/home/u", "RELAY_TOKEN_PATH": "/t/tokens"])
        #expect(explicit.plaintextPath == "/t/tokens")
    }

    @Test("a named backend never falls back: secret-service without a bus fails, writing no file (CASES 17)")
    func noSilentDowngrade() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try StoreConfiguration(
            environment: Self.environment(directory.path, ["RELAY_TOKEN_STORE": "secret-service"]))
        let store = try TokenStoreFactory.make(configuration).store
        #expect(store.name == "secret-service")
        let error = try #require(throws: TokenStoreError.self) { try store.save(Samples.tokens(), for: Samples.key) }
        #expect(error.code == .noSessionBus)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("encrypted-file without a passphrase says which settings to use")
    func encryptedNeedsSecret() throws {
        let configuration = try StoreConfiguration(environment: ["HOME": "/tmp", "RELAY_TOKEN_STORE": "encrypted-file"])
        let error = #expect(throws: TokenStoreError.self) { try TokenStoreFactory.make(configuration) }
        #expect(error?.code == .noPassphrase)
        let empty = try StoreConfiguration(environment: [
            "HOME": "/tmp", "RELAY_TOKEN_STORE": "encrypted-file",
            "RELAY_TOKEN_PASSPHRASE": "",
        ])
        #expect(throws: TokenStoreError.self) { try TokenStoreFactory.make(empty) }
    }

    @Test("auto without a bus picks encrypted-file when a passphrase is set, else plaintext, and says why (CASES 14)")
    func autoFallback() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = try TokenStoreFactory.make(StoreConfiguration(environment: Self.environment(directory.path)))
        #expect(plain.store.name == "plaintext")
        #expect(plain.reason.contains("noSessionBus"))
        let passphraseFile = "\(directory.path)/passphrase"
        #expect(
            FileManager.default.createFile(
                atPath: passphraseFile, contents: Data("pw\n".utf8),
                attributes: [.posixPermissions: 0o600]))
        let encrypted = try TokenStoreFactory.make(
            StoreConfiguration(
                environment: Self.environment(directory.path, ["RELAY_TOKEN_PASSPHRASE_FILE": passphraseFile])))
        #expect(encrypted.store.name == "encrypted-file")
        #expect(encrypted.reason.contains("RELAY_TOKEN_PASSPHRASE_FILE"))
    }

    @Test("auto picks the keyring when it answers; nothing is written under the config directory")
    func autoKeyring() throws {
        let address = try #require(
            ProcessInfo.processInfo.environment["DBUS_SESSION_BUS_ADDRESS"],
            "run through scripts/with-keyring.sh")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = Self.environment(
            directory.path,
            [
                "DBUS_SESSION_BUS_ADDRESS": address, "RELAY_SECRET_COLLECTION": "session",
                "XDG_RUNTIME_DIR": "\(directory.path)/run",
            ])
        let (store, reason) = try TokenStoreFactory.make(StoreConfiguration(environment: environment))
        #expect(store.name == "secret-service")
        #expect(reason.contains("keyring answered"))
        let key = SecretServiceStoreTests.uniqueKey()
        try store.withLock(key) { try store.save(Samples.tokens(), for: key) }
        defer { try? store.clear(key) }
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/config"))
    }

    @Test("a passphrase file that is readable by others is refused")
    func loosePassphraseFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/passphrase"
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data("pw".utf8),
                attributes: [.posixPermissions: 0o644]))
        let configuration = try StoreConfiguration(environment: ["HOME": "/tmp", "RELAY_TOKEN_PASSPHRASE_FILE": path])
        #expect(throws: TokenStoreError.self) { try configuration.encryptionSecret() }
    }

    @Test(
        "a FIFO as key or passphrase file is refused at once, naming the setting",
        .timeLimit(.minutes(1)), arguments: ["RELAY_TOKEN_KEY_FILE", "RELAY_TOKEN_PASSPHRASE_FILE"])
    func fifoSecretFile(setting: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/secret"
        #expect(mkfifo(path, 0o600) == 0)
        let configuration = try StoreConfiguration(environment: ["HOME": "/tmp", setting: path])
        let error = #expect(throws: TokenStoreError.self) { try configuration.encryptionSecret() }
        #expect(
            error?.message.contains("not a regular file; remove it or set \(setting)") == true,
            "\(String(describing: error))")
    }

    @Test("store migrate copies, verifies and removes the source; store list shows no secret")
    func migrateAndList() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = Self.environment(
            directory.path,
            [
                "RELAY_TOKEN_STORE": "plaintext",
                "RELAY_TOKEN_PASSPHRASE": "migrate pw",
            ])
        let configuration = try StoreConfiguration(environment: environment)
        let tokens = Samples.tokens(Samples.longToken)
        try PlaintextFileStore(path: configuration.plaintextPath).save(tokens, for: Samples.key)

        var lines: [String] = []
        var errors: [String] = []
        let status = StoreCommand.run(
            arguments: ["migrate", "--to", "encrypted-file"], environment: environment,
            output: { lines.append($0) }, errorOutput: { errors.append($0) })
        #expect(status == 0, "\(errors)")
        #expect(try PlaintextFileStore(path: configuration.plaintextPath).entries().isEmpty)
        let secret = try #require(try configuration.encryptionSecret())
        #expect(try EncryptedFileStore(path: configuration.encryptedPath, secret: secret).load(Samples.key) == tokens)

        lines = []
        let listEnvironment = environment.merging(["RELAY_TOKEN_STORE": "encrypted-file"]) { $1 }
        #expect(
            StoreCommand.run(
                arguments: ["list"], environment: listEnvironment,
                output: { lines.append($0) }, errorOutput: { errors.append($0) }) == 0)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("issuer=\(Samples.key.issuer)"))
        #expect(text.contains("refresh_token=yes"))
        #expect(!text.contains(tokens.accessToken))
        #expect(!text.contains(tokens.refreshToken ?? "?"))
    }

    @Test("with RELAY_TOKEN_PATH set, migrate refuses to share the file and --to-path gives it its own")
    func migrateWithTokenPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = directory.path + "/custom.json"
        let environment = Self.environment(
            directory.path,
            ["RELAY_TOKEN_STORE": "plaintext", "RELAY_TOKEN_PATH": source, "RELAY_TOKEN_PASSPHRASE": "pw"])
        let tokens = Samples.tokens(Samples.longToken)
        try PlaintextFileStore(path: source).save(tokens, for: Samples.key)

        var errors: [String] = []
        let refused = StoreCommand.run(
            arguments: ["migrate", "--to", "encrypted-file"], environment: environment,
            output: { _ in }, errorOutput: { errors.append($0) })
        #expect(refused == 1)
        #expect(errors.joined().contains("--to-path"), "\(errors)")
        #expect(try PlaintextFileStore(path: source).load(Samples.key) == tokens, "the source is untouched")

        let destination = directory.path + "/custom.enc"
        let moved = StoreCommand.run(
            arguments: ["migrate", "--to", "encrypted-file", "--to-path", destination], environment: environment,
            output: { _ in }, errorOutput: { errors.append($0) })
        #expect(moved == 0, "\(errors)")
        #expect(try PlaintextFileStore(path: source).entries().isEmpty)
        let secret = try EncryptionSecret(passphrase: Array("pw".utf8), source: "test")
        #expect(try EncryptedFileStore(path: destination, secret: secret).load(Samples.key) == tokens)
    }

    @Test("store migrate names a wrong backend instead of only printing usage")
    func migrateNamesBadBackend() {
        var errors: [String] = []
        let status = StoreCommand.run(
            arguments: ["migrate", "--to", "floppy"], environment: ["HOME": "/tmp"], output: { _ in },
            errorOutput: { errors.append($0) })
        #expect(status == 2)
        #expect(errors.joined().contains("floppy is not a store backend"))
    }

    @Test("store command usage errors exit 2", arguments: [[], ["migrate"], ["migrate", "--to", "auto"], ["bogus"]])
    func usage(arguments: [String]) {
        var errors: [String] = []
        #expect(
            StoreCommand.run(
                arguments: arguments, environment: ["HOME": "/tmp"], output: { _ in },
                errorOutput: { errors.append($0) }) == 2)
        #expect(errors.first?.contains("usage") == true)
    }
}
