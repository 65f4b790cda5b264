/// Where tokens live between runs. Each backend is one type conforming to this protocol.
///
/// Calls are synchronous and short (a file read, a D-Bus round trip with a deadline). A backend
/// never falls back to another one by itself; choosing is the factory's job.
public protocol TokenStore: Sendable {
    /// The backend's configuration name, e.g. `plaintext`.
    var name: String { get }

    /// Where the entries live, for messages: a file path or a keyring collection (no secret).
    var location: String { get }

    /// The stored tokens, or nil when none are stored for the key.
    /// - Throws: `TokenStoreError` when the store cannot be read; never "nil" for a failure.
    func load(_ key: TokenKey) throws -> TokenSet?

    /// Stores tokens, replacing what was stored for the key.
    func save(_ tokens: TokenSet, for key: TokenKey) throws

    /// Removes the entry for the key. Removing a missing entry is not an error.
    func clear(_ key: TokenKey) throws

    /// Every stored entry.
    func entries() throws -> [(key: TokenKey, tokens: TokenSet)]

    /// Runs `body` while holding an inter-process lock for `key`.
    ///
    /// Use it for "lock, re-read, refresh if still needed, save" so that of several relays
    /// sharing the store only one refreshes (a rotating refresh token is used exactly once).
    /// The lock is not re-entrant: do not call `withLock` for the same key inside `body`.
    /// `load`, `save` and `clear` may be called inside `body`.
    func withLock<T>(_ key: TokenKey, _ body: () throws -> T) throws -> T

    /// The dynamic client registration stored for `issuer`, if any.
    func loadClient(issuer: String) throws -> ClientRegistration?

    /// Stores a client registration, replacing the one for the same issuer.
    func saveClient(_ registration: ClientRegistration) throws

    /// Removes the registration for `issuer` (e.g. after `invalid_client`). Missing is not an error.
    func clearClient(issuer: String) throws

    /// Removes every stored client registration (`oauth-relay logout --all`).
    func clearAllClients() throws
}

/// A token store failure, with a message that says what to do.
///
/// Messages name paths, collections and settings, never a token or a passphrase.
public struct TokenStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of failure, for code that must react differently (e.g. `auto` selection).
    public enum Code: String, Sendable, Equatable {
        /// A file or directory is a symlink, belongs to another user or is accessible by others.
        case notSecure
        /// The stored data cannot be parsed.
        case corrupt
        /// A system call failed.
        case io
        /// `DBUS_SESSION_BUS_ADDRESS` is unset or the bus cannot be reached.
        case noSessionBus
        /// Nothing owns `org.freedesktop.secrets` on the session bus.
        case noProvider
        /// The keyring collection or item is locked.
        case locked
        /// The keyring did not answer before the deadline.
        case timeout
        /// AES-GCM authentication failed: wrong passphrase or key, or a corrupted file.
        case wrongPassphrase
        /// The file was written by a newer format version.
        case unsupportedVersion
        /// The encrypted store has no passphrase or key configured, or an empty one.
        case noPassphrase
        /// The configuration is invalid.
        case misconfigured
        /// The keyring answered with an unexpected error.
        case keyring
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
