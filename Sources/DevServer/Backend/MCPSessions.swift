import RelayCrypto
import Synchronization

/// The MCP endpoint's sessions: ids handed out at `initialize`, kept in memory with the
/// protocol version each negotiated and the user it belongs to. Bounded, so a client that
/// initializes in a loop cannot grow the server without limit: the oldest session goes first.
///
/// A session never authenticates anyone (every request brings its own token); binding it to a
/// user only keeps one user's session id from being used with another user's token.
final class MCPSessions: Sendable {
    static let limit = 4096

    struct Session: Sendable, Equatable {
        var version: String
        /// The token subject it belongs to; nil until a request on it carries a token.
        var owner: String?
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())

    /// A new session id (visible ASCII, as the transport requires) for `version`, owned by
    /// `owner` when the initialize request carried a token.
    func open(version: String, owner: String? = nil) throws -> String {
        let id = try SecureRandom.token(byteCount: 16)
        state.withLock { state in
            state.sessions[id] = Session(version: version, owner: owner)
            state.order.append(id)
            if state.order.count > Self.limit { state.sessions[state.order.removeFirst()] = nil }
        }
        return id
    }

    /// The protocol version of a live session; nil when the id is unknown or ended.
    func version(of id: String) -> String? {
        state.withLock { $0.sessions[id]?.version }
    }

    /// The session `id` as seen by `caller` (a token subject, or nil without a token): nil when
    /// it is unknown, ended, or another user's, so a foreign session reads as no session at
    /// all. The first caller with a token becomes the owner of a session opened without one.
    func use(_ id: String, by caller: String?) -> Session? {
        state.withLock { state in
            guard var session = state.sessions[id] else { return nil }
            switch (session.owner, caller) {
            case (nil, let caller?):
                session.owner = caller
                state.sessions[id] = session
            case (let owner?, let caller) where owner != caller:
                return nil
            default:
                break
            }
            return session
        }
    }

    /// Ends a session; false when it was not known, or is another user's.
    func close(_ id: String, by caller: String?) -> Bool {
        state.withLock { state in
            guard let session = state.sessions[id], session.owner == nil || session.owner == caller else {
                return false
            }
            state.sessions[id] = nil
            state.order.removeAll { $0 == id }
            return true
        }
    }

    /// Forgets every session, as a restarted server would (a test control).
    func forgetAll() -> Int {
        state.withLock { state in
            defer { state = State() }
            return state.sessions.count
        }
    }
}
