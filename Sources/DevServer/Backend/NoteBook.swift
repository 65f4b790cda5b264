import Synchronization

/// Notes per user (`sub`), in memory only, at most `limit` each.
final class NoteBook: Sendable {
    static let limit = 1000

    private let notes = Mutex<[String: [String]]>([:])

    func notes(of user: String) -> [String] {
        notes.withLock { $0[user] ?? [] }
    }

    /// Adds a note and returns how many the user now has; nil when the user has `limit` already.
    func add(_ text: String, for user: String) -> Int? {
        notes.withLock { notes in
            guard notes[user, default: []].count < Self.limit else { return nil }
            notes[user, default: []].append(text)
            return notes[user]?.count ?? 0
        }
    }
}
