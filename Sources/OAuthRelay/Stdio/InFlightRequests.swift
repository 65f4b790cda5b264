import Synchronization

/// The host's requests being served, by id, so they can be cancelled one by one
/// (`notifications/cancelled`) or all at once, and awaited when input ends.
///
/// A request leaves the table when it releases its id, just before its answer goes out, so the
/// host may reuse the id as soon as it has the answer; work that goes on after that (reading
/// the rest of a stream) can no longer touch a newer request under the same id.
final class InFlightRequests: Sendable {
    /// Takes the request's id out of the table; true when it was still there (not cancelled).
    typealias Release = @Sendable () -> Bool

    private struct Entry {
        let serial: Int
        let task: Task<Void, Never>
    }

    private let state = Mutex<(entries: [JSONValue: Entry], serials: Int)>(([:], 0))

    /// Runs `work` for `id`; false, and nothing runs, when a request with this id is in flight.
    func start(_ id: JSONValue, _ work: @escaping @Sendable (_ release: @escaping Release) async -> Void) -> Bool {
        state.withLock { state in
            guard state.entries[id] == nil else { return false }
            state.serials += 1
            let serial = state.serials
            let release: Release = { [self] in
                self.state.withLock { state in
                    guard state.entries[id]?.serial == serial else { return false }
                    state.entries[id] = nil
                    return true
                }
            }
            // The entry is in the table before the task can release it.
            state.entries[id] = Entry(
                serial: serial,
                task: Task {
                    await work(release)
                    _ = release()
                })
            return true
        }
    }

    /// Cancels the request with this id; false when none is in flight.
    @discardableResult
    func cancel(_ id: JSONValue) -> Bool {
        let entry = state.withLock { $0.entries.removeValue(forKey: id) }
        entry?.task.cancel()
        return entry != nil
    }

    func cancelAll() {
        state.withLock { $0.entries.values.map(\.task) }.forEach { $0.cancel() }
    }

    /// Waits until every request has finished, or `timeout` has passed; then cancels the rest.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.entries.isEmpty }) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        cancelAll()
    }
}
