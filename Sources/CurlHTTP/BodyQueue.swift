import FoundationEssentials
import Synchronization

/// The body of a streaming response on its way from the engine thread to its reader.
///
/// Chunks wait here until read. Once more than `highWater` bytes wait, the next chunk is
/// refused, which pauses the transfer; reading below half of that resumes it. Dropping the
/// queue (its reader is gone) cancels the transfer.
final class BodyQueue: Sendable {
    /// Bytes that may wait unread before the transfer pauses.
    static let highWater = 1 << 20

    private struct State {
        /// Unread chunks, oldest first (a few dozen at most: the transfer pauses at `highWater`).
        var chunks: [Data] = []
        var buffered = 0
        var refused = false
        var end: (any Error)??
        var reader: CheckedContinuation<Data?, any Error>?
    }

    private let engine: CurlEngine
    private let state = Mutex(State())
    private let transferSlot = Mutex<Transfer?>(nil)

    init(engine: CurlEngine) { self.engine = engine }

    deinit {
        let finished = state.withLock { $0.end != nil }
        if !finished, let transfer = transferSlot.withLock({ $0 }) { engine.cancel(transfer) }
    }

    /// The transfer this queue reads; set once, before the transfer starts.
    var transfer: Transfer? {
        get { transferSlot.withLock { $0 } }
        set { transferSlot.withLock { $0 = newValue } }
    }

    /// A chunk from the engine thread; false when the reader is too far behind (pause).
    func offer(_ chunk: Data) -> Bool {
        let reader = state.withLock { state -> CheckedContinuation<Data?, any Error>?? in
            if let reader = state.reader {
                state.reader = nil
                return .some(reader)
            }
            guard state.buffered < Self.highWater else {
                state.refused = true
                return .none
            }
            state.chunks.append(chunk)
            state.buffered += chunk.count
            return .some(nil)
        }
        guard let reader else { return false }
        reader?.resume(returning: chunk)
        return true
    }

    /// The end of the body: nil when it is complete, else the error the reader gets.
    func finish(_ error: (any Error)?) {
        let reader = state.withLock { state -> CheckedContinuation<Data?, any Error>? in
            state.end = .some(error)
            defer { state.reader = nil }
            return state.chunks.isEmpty ? state.reader : nil
        }
        if let error { reader?.resume(throwing: error) } else { reader?.resume(returning: nil) }
    }

    /// The next chunk; nil at the end of the body.
    func next() async throws -> Data? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data?, any Error>) in
                var resume = false
                let immediate = state.withLock { state -> Result<Data?, any Error>? in
                    defer {
                        if state.refused, state.buffered < Self.highWater / 2 {
                            state.refused = false
                            resume = true
                        }
                    }
                    if !state.chunks.isEmpty {
                        let chunk = state.chunks.removeFirst()
                        state.buffered -= chunk.count
                        return .success(chunk)
                    }
                    if let end = state.end { return end.map { .failure($0) } ?? .success(nil) }
                    state.reader = continuation
                    return nil
                }
                if resume, let transfer { engine.resume(transfer) }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            if let transfer { engine.cancel(transfer) }
        }
    }
}
