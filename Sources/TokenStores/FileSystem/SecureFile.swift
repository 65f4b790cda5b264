import FoundationEssentials
import RelayCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// File operations for the file backends: private directories, checked reads and crash-safe
/// writes. Every function refuses symlinks, foreign owners and group/world-accessible files,
/// with a message that says how to fix it.
enum SecureFile {
    /// Creates `directory` (and missing parents) with mode 0700, or checks an existing one.
    ///
    /// An existing directory must belong to this user (or root) and must not be writable by
    /// group or others; otherwise another user could swap the token file.
    static func prepareDirectory(_ directory: String) throws {
        var info = stat()
        if lstat(directory, &info) != 0 {
            guard errno == ENOENT else { throw ioError("inspect", directory) }
            let parent = PathName.parent(of: directory)
            if !parent.isEmpty, parent != directory { try prepareParent(parent) }
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                throw ioError("create the directory", directory)
            }
            // mkdir applies the umask; set the mode explicitly so it is 0700 under any umask.
            guard chmod(directory, 0o700) == 0 else { throw ioError("chmod", directory) }
            return
        }
        try checkDirectory(directory, info)
    }

    /// Reads a whole file; nil when it does not exist. `setting` names what to change when the
    /// path is not a usable file.
    ///
    /// The file is opened non-blocking so that a FIFO (or a device) at the path is refused at
    /// once instead of hanging until some other process writes to it.
    static func read(_ path: String, setting: String = "RELAY_TOKEN_PATH") throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw symlinkError(path) }
            throw ioError("open", path)
        }
        defer { close(descriptor) }
        try checkFile(descriptor, path, setting: setting)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        defer { SecureZero.wipe(&chunk) }
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw ioError("read", path) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Replaces `path` with `bytes` so that a crash leaves either the old or the new content.
    ///
    /// Writes a 0600 temporary file in the same directory, fsyncs it, renames it over `path`
    /// and fsyncs the directory. Call with the store's write lock held: leftover temporary files
    /// of crashed writers are removed here.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = PathName.parent(of: path)
        let base = PathName.lastComponent(of: path)
        removeStaleTemporaries(in: directory, base: base)
        if let existing = try? existingInfo(path), existing.st_mode & S_IFMT == S_IFLNK {
            throw symlinkError(path)
        }
        let suffix = (try? SecureRandom.token(byteCount: 6)) ?? "\(getpid())"
        let temporary = "\(directory)/.\(base).tmp-\(suffix)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ioError("create", temporary) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else { throw ioError("chmod", temporary) }
            try writeAll(bytes, to: descriptor, path: temporary)
            guard fsync(descriptor) == 0 else { throw ioError("fsync", temporary) }
        }
        guard rename(temporary, path) == 0 else { throw ioError("rename", path) }
        renamed = true
        syncDirectory(directory)
    }

    /// Removes `path` if it exists (used when the last entry is cleared).
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw ioError("remove", path) }
        syncDirectory(PathName.parent(of: path))
    }

    // MARK: - Checks

    static func checkFile(_ descriptor: Int32, _ path: String, setting: String = "RELAY_TOKEN_PATH") throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ioError("inspect", path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw TokenStoreError(.notSecure, "\(path) is not a regular file; remove it or set \(setting)")
        }
        guard info.st_uid == geteuid() else {
            throw TokenStoreError(
                .notSecure,
                "\(path) belongs to another user (uid \(info.st_uid)); refusing to use it. "
                    + "Remove it or run `chown \(geteuid()) \(path)`")
        }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw TokenStoreError(
                .notSecure,
                "\(path) is accessible by other users (mode \(mode)); run `chmod 600 \(path)`")
        }
    }

    private static func checkDirectory(_ directory: String, _ info: stat) throws {
        guard info.st_mode & S_IFMT != S_IFLNK else { throw symlinkError(directory) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw TokenStoreError(.notSecure, "\(directory) is not a directory")
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw TokenStoreError(
                .notSecure, "\(directory) belongs to another user (uid \(info.st_uid)); refusing to use it")
        }
        let sticky = info.st_mode & S_ISVTX != 0
        guard info.st_mode & 0o022 == 0 || (sticky && info.st_uid == 0) else {
            throw TokenStoreError(
                .notSecure, "\(directory) is writable by other users; run `chmod go-w \(directory)`")
        }
    }

    private static func prepareParent(_ parent: String) throws {
        var info = stat()
        if stat(parent, &info) == 0 { return }
        try FileManager.default.createDirectory(
            atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    private static func existingInfo(_ path: String) throws -> stat? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info
    }

    // MARK: - Helpers

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw ioError("write", path) }
            offset += written
        }
    }

    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func removeStaleTemporaries(in directory: String, base: String) {
        let prefix = ".\(base).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) { unlink("\(directory)/\(name)") }
    }

    static func symlinkError(_ path: String) -> TokenStoreError {
        TokenStoreError(
            .notSecure, "\(path) is a symbolic link; refusing to follow it. Point RELAY_TOKEN_PATH at the real file")
    }

    static func ioError(_ operation: String, _ path: String) -> TokenStoreError {
        let reason = String(cString: strerror(errno))
        return TokenStoreError(.io, "cannot \(operation) \(path): \(reason)")
    }
}
