import Synchronization

/// Keeps tokens in memory only: for unit tests, and for a relay whose store cannot be opened.
final class MemoryTokenStore: TokenStore {
    let name = "memory"
    private let entriesByKey = Mutex<[TokenKey: TokenSet]>([:])

    func load(_ key: TokenKey) throws -> TokenSet? { entriesByKey.withLock { $0[key] } }

    func save(_ tokens: TokenSet, for key: TokenKey) throws { entriesByKey.withLock { $0[key] = tokens } }

    func clear(_ key: TokenKey) throws { _ = entriesByKey.withLock { $0.removeValue(forKey: key) } }

    func entries() throws -> [(key: TokenKey, tokens: TokenSet)] {
        entriesByKey.withLock { $0.map { (key: $0.key, tokens: $0.value) } }
    }
}
