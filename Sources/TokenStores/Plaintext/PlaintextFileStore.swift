import FoundationEssentials

/// The last-resort backend: tokens as compact JSON in a 0600 file inside a 0700 directory.
///
/// Every entry lives in one file (`tokens.json` by default). Writes go through a temporary file,
/// fsync and rename under an exclusive `flock`, so several relays can share the file and a crash
/// leaves either the old or the new content.
public struct PlaintextFileStore: TokenStore {
    public let name = "plaintext"
    /// The token file.
    public let path: String
    private let core: DocumentStoreCore

    /// - Parameter path: the token file; its directory is created with mode 0700 when missing.
    public init(path: String) {
        self.path = path
        core = DocumentStoreCore(file: DocumentFile(path: path, codec: PlaintextCodec()))
    }

    public var location: String { path }

    public func load(_ key: TokenKey) throws -> TokenSet? { try core.load(key) }

    public func save(_ tokens: TokenSet, for key: TokenKey) throws { try core.save(tokens, for: key) }

    public func clear(_ key: TokenKey) throws { try core.clear(key) }

    public func entries() throws -> [(key: TokenKey, tokens: TokenSet)] { try core.entries() }

    public func withLock<T>(_ key: TokenKey, _ body: () throws -> T) throws -> T {
        try core.withLock(key, body)
    }

    public func loadClient(issuer: String) throws -> ClientRegistration? { try core.loadClient(issuer: issuer) }

    public func saveClient(_ registration: ClientRegistration) throws { try core.saveClient(registration) }

    public func clearClient(issuer: String) throws { try core.clearClient(issuer: issuer) }

    public func clearAllClients() throws { try core.clearAllClients() }
}

/// Plaintext files store the JSON itself.
struct PlaintextCodec: FileCodec {
    func decode(_ stored: [UInt8], path: String) throws -> [UInt8] { stored }
    func encode(_ json: [UInt8], path: String) throws -> [UInt8] { json }
}
