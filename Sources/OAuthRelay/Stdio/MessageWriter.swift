import Dispatch
import Glibc
import Synchronization

/// Writes protocol messages to the host, one JSON object per line, in the order they are given.
///
/// The writes happen on a thread of their own: a host that stops reading blocks that thread
/// alone, never the few threads that run the relay's tasks (which would stop it from reading
/// its input, cancellations included). `send` returns once its message is written, so a slow
/// host slows down whoever produces for it.
final class MessageWriter: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var writers: [CheckedContinuation<Void, Never>] = []
        var draining = false
    }

    private let fd: Int32
    private let queue = DispatchQueue(label: "oauth-relay output")
    /// Messages not yet written: whatever gathers while one write is under way goes out in the
    /// next single write.
    private let pending = Mutex(Pending())

    init(fd: Int32) { self.fd = fd }

    func send(_ message: JSONValue) async {
        await write(message.serialized())
    }

    /// Writes a message as its peer sent it (`RawMessage` keeps it on one line).
    func send(_ message: RawMessage) async {
        await write(message.bytes)
    }

    /// Queues one of the relay's own short answers without waiting, in order with the rest.
    func post(_ message: JSONValue) {
        enqueue(message.serialized(), writer: nil)
    }

    /// Waits until everything queued is written, at most `timeout`; before the process exits,
    /// so the last message is not cut off mid-line. False when the host is not reading.
    @discardableResult
    func flush(timeout: Duration) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        return done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success
    }

    private func write(_ bytes: [UInt8]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            enqueue(bytes, writer: continuation)
        }
    }

    private func enqueue(_ message: [UInt8], writer: CheckedContinuation<Void, Never>?) {
        let start = pending.withLock { pending -> Bool in
            pending.bytes += message
            pending.bytes.append(UInt8(ascii: "\n"))
            if let writer { pending.writers.append(writer) }
            guard !pending.draining else { return false }
            pending.draining = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Writes what is pending until nothing is; runs on the writer's queue.
    private func drain() {
        while true {
            let (batch, writers) = pending.withLock { pending -> ([UInt8], [CheckedContinuation<Void, Never>]) in
                guard !pending.bytes.isEmpty else {
                    pending.draining = false
                    return ([], [])
                }
                defer {
                    pending.bytes.removeAll(keepingCapacity: true)
                    pending.writers.removeAll(keepingCapacity: true)
                }
                return (pending.bytes, pending.writers)
            }
            guard !batch.isEmpty else { return }
            var bytes = batch
            writeFully(fd, &bytes)
            writers.forEach { $0.resume() }
        }
    }
}
