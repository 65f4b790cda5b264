import FoundationEssentials
import RelayCrypto

/// Turns the stored bytes of a file into the document's JSON and back (identity for plaintext,
/// AES-256-GCM for the encrypted file).
protocol FileCodec: Sendable {
    func decode(_ stored: [UInt8], path: String) throws -> [UInt8]
    func encode(_ json: [UInt8], path: String) throws -> [UInt8]
}

/// One store file and the lock around its read-modify-write cycles. Shared by the file
/// backends so both follow the same rules.
struct DocumentFile: Sendable {
    let path: String
    let codec: any FileCodec

    var directory: String { PathName.parent(of: path) }
    var keyLocks: StoreLock { StoreLock(directory: "\(directory)/locks") }
    private var writeLock: FileLock { FileLock(path: "\(path).lock") }

    /// The current document; empty when the file does not exist yet.
    ///
    /// Needs no lock: writers replace the file by rename, so a reader sees a whole old or whole
    /// new file.
    func read() throws -> StoreDocument {
        guard var stored = try SecureFile.read(path) else { return StoreDocument() }
        defer { SecureZero.wipe(&stored) }
        var json = try codec.decode(stored, path: path)
        defer { SecureZero.wipe(&json) }
        let document = try TokenCoding.decode(StoreDocument.self, from: json, source: path)
        guard document.format == StoreDocument.currentFormat else {
            throw TokenStoreError(
                .unsupportedVersion,
                "\(path) has document format \(document.format); this build reads format "
                    + "\(StoreDocument.currentFormat). Upgrade oauth-relay")
        }
        return document
    }

    /// Reads, changes and writes the document under the store's exclusive lock.
    func update(_ change: (inout StoreDocument) throws -> Void) throws {
        try SecureFile.prepareDirectory(directory)
        try writeLock.withExclusive {
            var document = try read()
            try change(&document)
            if document.isEmpty {
                try SecureFile.remove(path)
                return
            }
            var json = try TokenCoding.encode(document)
            defer { SecureZero.wipe(&json) }
            var stored = try codec.encode(json, path: path)
            defer { SecureZero.wipe(&stored) }
            try SecureFile.writeAtomically(stored, to: path)
        }
    }
}

/// The `TokenStore` operations on a `DocumentFile`, shared by the file backends.
struct DocumentStoreCore: Sendable {
    let file: DocumentFile

    func load(_ key: TokenKey) throws -> TokenSet? {
        try file.read().tokens[key.storageID]?.tokens
    }

    func save(_ tokens: TokenSet, for key: TokenKey) throws {
        try file.update { document in
            document.tokens[key.storageID] = StoreDocument.Entry(
                issuer: key.issuer, clientID: key.clientID, resource: key.resource, tokens: tokens)
        }
    }

    func clear(_ key: TokenKey) throws {
        try file.update { document in document.tokens[key.storageID] = nil }
    }

    func entries() throws -> [(key: TokenKey, tokens: TokenSet)] {
        try file.read().tokens.values
            .map { (key: $0.key, tokens: $0.tokens) }
            .sorted { $0.key.storageID < $1.key.storageID }
    }

    func loadClient(issuer: String) throws -> ClientRegistration? {
        try file.read().clients[issuer]
    }

    func saveClient(_ registration: ClientRegistration) throws {
        try file.update { document in document.clients[registration.issuer] = registration }
    }

    func clearAllClients() throws {
        try file.update { document in document.clients.removeAll() }
    }

    func clearClient(issuer: String) throws {
        try file.update { document in document.clients[issuer] = nil }
    }

    func withLock<T>(_ key: TokenKey, _ body: () throws -> T) throws -> T {
        try file.keyLocks.withLock(key, body)
    }
}
