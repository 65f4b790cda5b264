import Dispatch
import FoundationEssentials
import Glibc

/// Opens the sign-in URL with the configured program, executed directly — never through a
/// shell — with the URL as one argument. The child's stdout goes to our stderr, because the
/// relay's stdout is the MCP stream; its stdin is /dev/null.
struct BrowserOpener: Sendable {
    /// Program and fixed arguments; nil means "do not open a browser".
    let command: [String]?

    /// Why the browser could not be opened.
    enum Failure: Error, Equatable {
        case notConfigured
        case unsafeURL
        case spawnFailed(program: String, errno: Int32)
    }

    /// Starts the browser and returns without waiting for it.
    func open(_ url: URL) throws(Failure) {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw .unsafeURL
        }
        guard let command, let program = command.first else { throw .notConfigured }
        let arguments = command + [url.absoluteString]
        let pid = try Self.spawn(program: program, arguments: arguments)
        // Reap the child so it never lingers as a zombie.
        DispatchQueue.global().async {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    private static func spawn(program: String, arguments: [String]) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, program, &actions, nil, &argv, environ)
        guard status == 0 else { throw .spawnFailed(program: program, errno: status) }
        return pid
    }
}
