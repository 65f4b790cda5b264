import RelayCrypto
import Synchronization

/// The MCP endpoint's sessions: ids handed out at `initialize`, kept in memory with the
/// protocol version each negotiated. Bounded, so a client that initializes in a loop cannot
/// grow the server without limit: the oldest session goes first.
final class MCPSessions: Sendable {
    static let limit = 4096

    private struct State {
        var versions: [String: String] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())

    /// A new session id (visible ASCII, as the transport requires) for `version`.
    func open(version: String) throws -> String {
        let id = try SecureRandom.token(byteCount: 16)
        state.withLock { state in
            state.versions[id] = version
            state.order.append(id)
            if state.order.count > Self.limit { state.versions[state.order.removeFirst()] = nil }
        }
        return id
    }

    /// The protocol version of a live session; nil when the id is unknown or ended.
    func version(of id: String) -> String? {
        state.withLock { $0.versions[id] }
    }

    /// Ends a session; false when it was not known.
    func close(_ id: String) -> Bool {
        state.withLock { state in
            guard state.versions.removeValue(forKey: id) != nil else { return false }
            state.order.removeAll { $0 == id }
            return true
        }
    }

    /// Forgets every session, as a restarted server would (a test control).
    func forgetAll() -> Int {
        state.withLock { state in
            defer { state = State() }
            return state.versions.count
        }
    }
}
