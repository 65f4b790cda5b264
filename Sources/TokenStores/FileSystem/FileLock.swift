import FoundationEssentials
import RelayCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// An advisory inter-process lock: `flock` on a separate lock file.
///
/// `flock` locks belong to an open file description, so the lock also excludes other threads of
/// the same process that open the file themselves, and the kernel releases it when a holder dies
/// (even by `kill -9`). The lock file holds no data and is never removed, so every process locks
/// the same inode.
struct FileLock: Sendable {
    let path: String

    /// Runs `body` while holding the lock exclusively, waiting for other holders.
    func withExclusive<T>(_ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw SecureFile.symlinkError(path) }
            throw SecureFile.ioError("open the lock file", path)
        }
        defer { close(descriptor) }
        try SecureFile.checkFile(descriptor, path)
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SecureFile.ioError("lock", path) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

/// Per-key inter-process locks for a store, so that several relays sharing one store refresh a
/// token only once: hold the key's lock, re-read the store, then refresh if still needed.
public struct StoreLock: Sendable {
    /// The directory holding the lock files (0700).
    public let directory: String

    /// - Parameter directory: where lock files live; created with mode 0700 when missing.
    public init(directory: String) {
        self.directory = directory
    }

    /// Runs `body` while holding the lock for `key`, across threads and processes.
    /// - Throws: `TokenStoreError` when the lock file cannot be created or locked, or what
    ///   `body` throws.
    public func withLock<T>(_ key: TokenKey, _ body: () throws -> T) throws -> T {
        try SecureFile.prepareDirectory(directory)
        let digest = Hex.encode(Digest.sha256(key.storageID).prefix(16))
        return try FileLock(path: "\(directory)/\(digest).lock").withExclusive(body)
    }
}
