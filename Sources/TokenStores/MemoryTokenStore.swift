import FoundationEssentials
import Synchronization

/// A store that keeps entries in memory, for tests of code that uses a `TokenStore`.
public final class MemoryTokenStore: TokenStore {
    public let name = "memory"
    public let location = "memory"
    private let state = Mutex<(tokens: [TokenKey: TokenSet], clients: [String: ClientRegistration])>(
        (tokens: [:], clients: [:]))
    private let keyLock = Mutex<Void>(())

    public init() {}

    public func load(_ key: TokenKey) throws -> TokenSet? { state.withLock { $0.tokens[key] } }

    public func save(_ tokens: TokenSet, for key: TokenKey) throws { state.withLock { $0.tokens[key] = tokens } }

    public func clear(_ key: TokenKey) throws { state.withLock { $0.tokens[key] = nil } }

    public func entries() throws -> [(key: TokenKey, tokens: TokenSet)] {
        state.withLock { $0.tokens.map { (key: $0.key, tokens: $0.value) } }
            .sorted { $0.key.storageID < $1.key.storageID }
    }

    /// One lock for every key: enough for tests, and the lock is not held across processes.
    public func withLock<T>(_ key: TokenKey, _ body: () throws -> T) throws -> T {
        try keyLock.withLock { _ in try body() }
    }

    public func loadClient(issuer: String) throws -> ClientRegistration? { state.withLock { $0.clients[issuer] } }

    public func saveClient(_ registration: ClientRegistration) throws {
        state.withLock { $0.clients[registration.issuer] = registration }
    }

    public func clearClient(issuer: String) throws { state.withLock { $0.clients[issuer] = nil } }

    public func clearAllClients() throws { state.withLock { $0.clients.removeAll() } }
}
