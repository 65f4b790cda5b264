import Synchronization

/// The host's requests being served, by id, so they can be cancelled one by one
/// (`notifications/cancelled`) or all at once, and awaited when input ends.
final class InFlightRequests: Sendable {
    private let tasks = Mutex<[JSONValue: Task<Void, Never>]>([:])

    func withLock<Result>(_ body: (inout [JSONValue: Task<Void, Never>]) -> Result) -> Result {
        tasks.withLock { body(&$0) }
    }

    func cancelAll() {
        tasks.withLock { $0.values }.forEach { $0.cancel() }
    }

    /// Waits until every request has finished, or `timeout` has passed; then cancels the rest.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if tasks.withLock({ $0.isEmpty }) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        cancelAll()
    }
}
