import FoundationEssentials
import Glibc
import RelayCrypto

/// An inter-process lock per token key (flock on a lock file), held across the awaits of a
/// refresh or a sign-in, so that of several relays sharing one store only one talks to the
/// authorization server at a time (CASES 1 and 10).
///
/// Lock files live in `$XDG_RUNTIME_DIR/oauth-relay` (else `/tmp/oauth-relay-UID`), a 0700
/// directory owned by the user; their names are a hash of the key, so they reveal nothing.
struct ProcessLock: Sendable {
    let directory: String

    init(settings: [String: String]) {
        if let runtime = settings["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            directory = runtime + "/oauth-relay"
        } else {
            directory = "/tmp/oauth-relay-\(getuid())"
        }
    }

    /// Runs `body` while holding the lock for `key`, waiting (without blocking a thread) while
    /// another process holds it.
    func withLock<T>(
        _ key: TokenKey, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        let fd = try open(key)
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw OAuthError(.store, "cannot lock \(directory): \(String(cString: strerror(errno)))")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }

    private func open(_ key: TokenKey) throws -> Int32 {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw OAuthError(
                .store, "cannot create the lock directory \(directory): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else {
            throw OAuthError(
                .store, "the lock directory \(directory) is not a directory owned by you; remove it and retry")
        }
        let name = Base64URL.encode(Digest.sha256(key.storageID).prefix(16))
        let path = "\(directory)/\(name).lock"
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw OAuthError(.store, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}
