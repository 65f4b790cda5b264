import CLibSecret
import FoundationEssentials
import RelayCrypto
import Synchronization

/// Tokens in the desktop keyring through the freedesktop.org Secret Service API (libsecret):
/// GNOME Keyring, KWallet, KeePassXC.
///
/// Items use the schema `dev.oauth-relay.Token` with the attributes `application=oauth-relay`,
/// `issuer`, `client_id` and `resource`, so `secret-tool search application oauth-relay` finds
/// them; the secret is the token set as compact single-line JSON. Every operation has a deadline.
/// Nothing is written to disk by this backend (lock files for `withLock` live in the runtime
/// directory).
public final class SecretServiceStore: TokenStore {
    /// Where and how to reach the keyring.
    public struct Options: Sendable {
        /// `DBUS_SESSION_BUS_ADDRESS`; nil or empty means "no session bus" (checked first).
        public var busAddress: String?
        /// A collection alias (`default`, `session`) or a collection object path.
        public var collection: String
        /// Deadline for each operation, in seconds.
        public var timeout: Double
        /// Where `withLock` keeps its lock files, e.g. `$XDG_RUNTIME_DIR/oauth-relay/locks`.
        public var lockDirectory: String

        public init(
            busAddress: String?, collection: String = "default", timeout: Double = 5,
            lockDirectory: String
        ) {
            self.busAddress = busAddress
            self.collection = collection
            self.timeout = timeout
            self.lockDirectory = lockDirectory
        }
    }

    public let name = "secret-service"
    public let options: Options
    private let session: Mutex<KeyringSession>

    public init(options: Options) {
        self.options = options
        session = Mutex(KeyringSession(busAddress: options.busAddress))
    }

    public var location: String { "Secret Service collection \"\(options.collection)\"" }

    /// Checks that the keyring answers: a session bus, a provider, and the collection (which may be
    /// locked; that is reported by `.locked`). Used by `auto`.
    public func probe() throws {
        try perform("reach the keyring") { session, deadline in
            let collection = try session.collection(options.collection, deadline)
            g_object_unref(collection)
        }
    }

    public func load(_ key: TokenKey) throws -> TokenSet? {
        try perform("read tokens") { session, deadline in
            let bytes = try readSecret(
                relay_token_schema(), Self.attributes(key), session: session, deadline: deadline)
            guard var bytes else { return nil }
            defer { SecureZero.wipe(&bytes) }
            return try TokenCoding.decode(TokenSet.self, from: bytes, source: "the keyring item for \(key)")
        }
    }

    public func save(_ tokens: TokenSet, for key: TokenKey) throws {
        var json = try TokenCoding.encode(tokens)
        defer { SecureZero.wipe(&json) }
        let label =
            "oauth-relay tokens for \(key.clientID) at \(key.issuer)"
            + (key.resource.isEmpty ? "" : " (resource \(key.resource))")
        try perform("store tokens") { session, deadline in
            try writeSecret(
                json, relay_token_schema(), Self.attributes(key), label: label, session: session,
                deadline: deadline)
        }
    }

    public func clear(_ key: TokenKey) throws {
        try perform("remove tokens") { session, deadline in
            try deleteItems(relay_token_schema(), Self.attributes(key), session: session, deadline: deadline)
        }
    }

    public func entries() throws -> [(key: TokenKey, tokens: TokenSet)] {
        try perform("list tokens") { session, deadline in
            try listTokens(session: session, deadline: deadline).sorted { $0.key.storageID < $1.key.storageID }
        }
    }

    public func withLock<T>(_ key: TokenKey, _ body: () throws -> T) throws -> T {
        try StoreLock(directory: options.lockDirectory).withLock(key, body)
    }

    public func loadClient(issuer: String) throws -> ClientRegistration? {
        try perform("read the client registration") { session, deadline in
            let bytes = try readSecret(
                relay_client_schema(), Self.clientAttributes(issuer), session: session, deadline: deadline)
            guard var bytes else { return nil }
            defer { SecureZero.wipe(&bytes) }
            return try TokenCoding.decode(ClientRegistration.self, from: bytes, source: "the keyring client item")
        }
    }

    public func saveClient(_ registration: ClientRegistration) throws {
        var json = try TokenCoding.encode(registration)
        defer { SecureZero.wipe(&json) }
        try perform("store the client registration") { session, deadline in
            try writeSecret(
                json, relay_client_schema(), Self.clientAttributes(registration.issuer),
                label: "oauth-relay client registration at \(registration.issuer)", session: session,
                deadline: deadline)
        }
    }

    public func clearClient(issuer: String) throws {
        try perform("remove the client registration") { session, deadline in
            try deleteItems(relay_client_schema(), Self.clientAttributes(issuer), session: session, deadline: deadline)
        }
    }

    public func clearAllClients() throws {
        try perform("remove the client registrations") { session, deadline in
            try deleteItems(
                relay_client_schema(), ["application": Self.application], session: session, deadline: deadline)
        }
    }

    // MARK: - Attributes

    static let application = "oauth-relay"

    static func attributes(_ key: TokenKey) -> [String: String] {
        ["application": application, "issuer": key.issuer, "client_id": key.clientID, "resource": key.resource]
    }

    static func clientAttributes(_ issuer: String) -> [String: String] {
        ["application": application, "issuer": issuer]
    }

    /// Runs one operation with its own deadline, one operation at a time per store.
    private func perform<T>(
        _ operation: String, _ body: (KeyringSession, KeyringDeadline) throws -> T
    ) throws -> T {
        let deadline = KeyringDeadline(seconds: options.timeout)
        return try session.withLock { session in
            do {
                return try body(session, deadline)
            } catch let error as TokenStoreError where deadline.expired && error.code == .keyring {
                throw KeyringCall.timeout(operation, deadline)
            }
        }
    }
}
