import Foundation
import Testing

@testable import TokenStores

/// These run against a real Secret Service: `scripts/with-keyring.sh swift test`. Without that
/// session they fail (never skip), so CI cannot pass without exercising the keyring.
@Suite("Secret Service store (real gnome-keyring)")
struct SecretServiceStoreTests {
    static var busAddress: String? { ProcessInfo.processInfo.environment["DBUS_SESSION_BUS_ADDRESS"] }

    static func store(
        collection: String = "session", busAddress: String? = busAddress,
        timeout: Double = 5
    ) throws -> SecretServiceStore {
        try #require(Self.busAddress != nil, "run the keyring tests through scripts/with-keyring.sh")
        return SecretServiceStore(
            options: .init(
                busAddress: busAddress, collection: collection, timeout: timeout,
                lockDirectory: FileManager.default.temporaryDirectory.path + "/oauth-relay-test-locks-\(getuid())"))
    }

    static func uniqueKey() -> TokenKey {
        TokenKey(
            issuer: "https://as-\(UUID().uuidString).example.test", clientID: "client-1",
            resource: "https://api.example.test")
    }

    @Test("store, load, list and clear round trip with an 8 KiB token")
    func roundTrip() throws {
        let store = try Self.store()
        let key = Self.uniqueKey()
        let tokens = Samples.tokens(Samples.longToken)
        #expect(try store.load(key) == nil)
        try store.save(tokens, for: key)
        #expect(try store.load(key) == tokens)
        try store.save(Samples.tokens("second"), for: key)
        #expect(try store.load(key)?.accessToken == "second")
        #expect(try store.entries().contains { $0.key == key })
        try store.clear(key)
        #expect(try store.load(key) == nil)
        try store.clear(key)
    }

    @Test("an empty resource attribute is its own key")
    func emptyResource() throws {
        let store = try Self.store()
        let key = TokenKey(issuer: Self.uniqueKey().issuer, clientID: "c", resource: "")
        try store.save(Samples.tokens("no-resource"), for: key)
        defer { try? store.clear(key) }
        #expect(try store.load(key)?.accessToken == "no-resource")
        #expect(try store.load(TokenKey(issuer: key.issuer, clientID: "c", resource: "x")) == nil)
    }

    @Test("secret-tool finds the entry by the documented attributes; the secret is one JSON line")
    func visibleToSecretTool() throws {
        let store = try Self.store()
        let key = Self.uniqueKey()
        let tokens = Samples.tokens()
        try store.save(tokens, for: key)
        defer { try? store.clear(key) }
        let lookup = try run(
            "/usr/bin/secret-tool",
            [
                "lookup", "application", "oauth-relay", "issuer", key.issuer,
                "client_id", key.clientID, "resource", key.resource,
            ])
        #expect(!lookup.contains("\n"))
        let decoded = try TokenCoding.decode(TokenSet.self, from: Array(lookup.utf8), source: "secret-tool")
        #expect(decoded == tokens)
        let search = try run(
            "/usr/bin/secret-tool",
            [
                "search", "--all", "application", "oauth-relay",
                "issuer", key.issuer,
            ])
        #expect(search.contains("label = oauth-relay tokens for client-1 at \(key.issuer)"))
        #expect(search.contains("schema = dev.oauth-relay.Token"))
    }

    @Test("client registrations round-trip in the keyring")
    func clients() throws {
        let store = try Self.store()
        let registration = ClientRegistration(
            issuer: Self.uniqueKey().issuer, clientID: "dyn", redirectURIs: ["http://127.0.0.1/cb"],
            registeredAt: Date(timeIntervalSince1970: 1_800_000_000))
        try store.saveClient(registration)
        #expect(try store.loadClient(issuer: registration.issuer) == registration)
        try store.clearClient(issuer: registration.issuer)
        #expect(try store.loadClient(issuer: registration.issuer) == nil)
    }

    @Test("no session bus: a fast, specific error (CASES 14)", arguments: [nil, "", "autolaunch:"])
    func noSessionBus(address: String?) throws {
        // A deadline of a minute and an answer well within it: nothing was waited for.
        let store = try Self.store(busAddress: address, timeout: 60)
        let started = Date()
        let error = try #require(throws: TokenStoreError.self) { try store.load(Samples.key) }
        #expect(error.code == .noSessionBus)
        #expect(error.message.contains("no D-Bus session bus"))
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("a bus without a Secret Service provider: its own error (CASES 15)")
    func noProvider() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let store = try Self.store(busAddress: bus.address)
        let error = try #require(throws: TokenStoreError.self) { try store.save(Samples.tokens(), for: Samples.key) }
        #expect(error.code == .noProvider)
        #expect(error.message.contains("no Secret Service provider"))
    }

    @Test("a locked collection is reported as locked, never as not found (CASES 16)")
    func locked() throws {
        let address = try #require(Self.busAddress, "run through scripts/with-keyring.sh")
        let path = try KeyringTestSupport.createLockedCollection(busAddress: address, label: "relay-test-locked")
        // The codes show that no operation ran into its deadline (that would be `.timeout`).
        let store = try Self.store(collection: path, timeout: 60)
        let started = Date()
        for operation in [
            { _ = try store.load(Samples.key) }, { try store.save(Samples.tokens(), for: Samples.key) },
            { try store.clear(Samples.key) }, { _ = try store.entries() },
        ] {
            let error = try #require(throws: TokenStoreError.self) { try operation() }
            #expect(error.code == .locked)
            #expect(error.message.contains("locked"))
            #expect(error.message.contains("RELAY_TOKEN_STORE=encrypted-file"))
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test("an unknown collection alias is a configuration error")
    func unknownCollection() throws {
        let store = try Self.store(collection: "no-such-alias-\(getpid())")
        let error = try #require(throws: TokenStoreError.self) { try store.load(Samples.key) }
        #expect(error.code == .misconfigured)
    }
}

/// A D-Bus session bus with no services and no activation, for "no provider" tests.
struct PrivateBus {
    let directory: TemporaryDirectory
    let address: String
    let daemon: Process

    init() throws {
        directory = try TemporaryDirectory()
        let socket = "\(directory.path)/bus"
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig><type>session</type><listen>unix:path=\(socket)</listen><auth>EXTERNAL</auth>
            <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
            <allow own="*"/></policy></busconfig>
            """
        try config.write(toFile: "\(directory.path)/bus.conf", atomically: true, encoding: .utf8)
        daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--config-file=\(directory.path)/bus.conf", "--nofork"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        let started = Date()
        while !FileManager.default.fileExists(atPath: socket), Date().timeIntervalSince(started) < 30 {
            usleep(10_000)
        }
        try #require(FileManager.default.fileExists(atPath: socket), "dbus-daemon did not listen within 30 s")
        address = "unix:path=\(socket)"
    }

    func stop() {
        // SIGKILL: the daemon may inherit a blocked SIGTERM from the test runner's threads.
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        directory.remove()
    }
}

/// Runs a program and returns its standard output (stderr is discarded).
@discardableResult
func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
