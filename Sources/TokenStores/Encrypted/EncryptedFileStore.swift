import FoundationEssentials

/// Tokens in one AES-256-GCM encrypted file, for headless machines without a keyring.
///
/// The key comes from a passphrase through scrypt, or from a 32-byte key file. Every write uses a
/// fresh random 12-byte nonce; the header (magic, version, KDF parameters, salt, nonce) is
/// authenticated as associated data. The file follows the same rules as the plaintext store
/// (0600 in a 0700 directory, atomic replace under `flock`). The format is specified in
/// docs/token-file-format.md.
public struct EncryptedFileStore: TokenStore {
    public let name = "encrypted-file"
    /// The encrypted token file.
    public let path: String
    private let core: DocumentStoreCore

    /// - Parameters:
    ///   - path: the token file; its directory is created with mode 0700 when missing.
    ///   - secret: the passphrase or key; the derived key is cached for this store's lifetime.
    public init(path: String, secret: EncryptionSecret) {
        self.path = path
        core = DocumentStoreCore(file: DocumentFile(path: path, codec: EncryptedCodec(secret: secret)))
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
