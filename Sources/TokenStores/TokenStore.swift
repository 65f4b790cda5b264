/// Where tokens live between runs. Each backend is one type conforming to this protocol.
///
/// Calls are synchronous and short (a file read, a D-Bus round trip with a deadline). A backend
/// never falls back to another one by itself; choosing is the factory's job.
public protocol TokenStore: Sendable {
    /// The backend's configuration name, e.g. `plaintext`.
    var name: String { get }

    /// The stored tokens, or nil when none are stored for the key.
    /// - Throws: `TokenStoreError` when the store cannot be read; never "nil" for a failure.
    func load(_ key: TokenKey) throws -> TokenSet?

    /// Stores tokens, replacing what was stored for the key.
    func save(_ tokens: TokenSet, for key: TokenKey) throws

    /// Removes the entry for the key. Removing a missing entry is not an error.
    func clear(_ key: TokenKey) throws

    /// Every stored entry.
    func entries() throws -> [(key: TokenKey, tokens: TokenSet)]
}

/// A token store failure, with a message that says what to do.
public struct TokenStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        case notSecure
        case corrupt
        case io
        case noSessionBus
        case noProvider
        case locked
        case timeout
        case wrongPassphrase
        case unsupportedVersion
        case noPassphrase
        case misconfigured
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
