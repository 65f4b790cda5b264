import Synchronization

/// Notes per user (`sub`), in memory only.
final class NoteBook: Sendable {
    private let notes = Mutex<[String: [String]]>([:])

    func notes(of user: String) -> [String] {
        notes.withLock { $0[user] ?? [] }
    }

    /// Adds a note and returns how many the user now has.
    func add(_ text: String, for user: String) -> Int {
        notes.withLock { notes in
            notes[user, default: []].append(text)
            return notes[user]?.count ?? 0
        }
    }
}
