import FoundationEssentials
import RelayCrypto
import Synchronization

/// Encrypts and decrypts the store document, caching the derived key.
///
/// Only the first load in a process pays for scrypt: the key is cached per (salt, parameters),
/// and rewrites keep the file's salt, so later reads and writes reuse it. Every write still
/// draws a new random nonce.
final class EncryptedCodec: FileCodec {
    private struct State {
        var keys: [[UInt8]: [UInt8]] = [:]
        /// The header of the last file read, reused for the next write.
        var header: EncryptedFileHeader?
    }

    private let secret: EncryptionSecret
    private let state = Mutex(State())

    init(secret: EncryptionSecret) {
        self.secret = secret
    }

    deinit {
        state.withLock { state in
            for var key in state.keys.values { SecureZero.wipe(&key) }
            state.keys.removeAll()
        }
    }

    func decode(_ stored: [UInt8], path: String) throws -> [UInt8] {
        let (header, headerSize) = try EncryptedFileHeader.parse(stored, path: path)
        try checkKind(header, path: path)
        let nonceEnd = headerSize + AESGCM.nonceSize
        let sealed = AESGCM.Sealed(
            ciphertext: Array(stored[nonceEnd..<(stored.count - AESGCM.tagSize)]),
            tag: Array(stored[(stored.count - AESGCM.tagSize)...]))
        var key = try derivedKey(for: header)
        defer { SecureZero.wipe(&key) }
        do {
            let json = try AESGCM.open(
                sealed, key: key, nonce: Array(stored[headerSize..<nonceEnd]),
                associatedData: Array(stored[0..<nonceEnd]))
            state.withLock { $0.header = header }
            return json
        } catch {
            let written = header.kdf == .scrypt ? "a passphrase" : "a key file"
            throw TokenStoreError(
                .wrongPassphrase,
                "wrong key or passphrase, or a corrupted file: \(path) cannot be decrypted with the key from "
                    + "\(secret.source) (the file was written with \(written)). Configure the \(written.dropFirst(2)) "
                    + "it was written with, or move the file away to start over (its sign-ins are lost)")
        }
    }

    func encode(_ json: [UInt8], path: String) throws -> [UInt8] {
        let header = try state.withLock { $0.header } ?? freshHeader()
        var key = try derivedKey(for: header)
        defer { SecureZero.wipe(&key) }
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let associated = header.bytes + nonce
        let sealed = try AESGCM.seal(json, key: key, nonce: nonce, associatedData: associated)
        state.withLock { $0.header = header }
        return associated + sealed.ciphertext + sealed.tag
    }

    private func freshHeader() throws -> EncryptedFileHeader {
        switch secret.material {
        case .passphrase: try EncryptedFileHeader.newScrypt()
        case .key: EncryptedFileHeader.keyFile
        }
    }

    private func checkKind(_ header: EncryptedFileHeader, path: String) throws {
        switch (header.kdf, secret.material) {
        case (.scrypt, .passphrase), (.none, .key): return
        case (.scrypt, .key):
            throw TokenStoreError(
                .misconfigured,
                "\(path) is encrypted with a passphrase, but a key file is configured (\(secret.source))")
        case (.none, .passphrase):
            throw TokenStoreError(
                .misconfigured,
                "\(path) is encrypted with a key file, but a passphrase is configured (\(secret.source))")
        }
    }

    /// A copy of the key for `header` (the caller wipes it), deriving and caching it once.
    private func derivedKey(for header: EncryptedFileHeader) throws -> [UInt8] {
        switch secret.material {
        case .key(let key):
            return key
        case .passphrase(let passphrase):
            let cacheKey = header.bytes
            if let cached = state.withLock({ $0.keys[cacheKey] }) { return cached }
            let derived = try Scrypt.derive(
                password: passphrase, salt: header.salt, parameters: header.scryptParameters,
                length: AESGCM.keySize)
            state.withLock { $0.keys[cacheKey] = derived }
            return derived
        }
    }
}
