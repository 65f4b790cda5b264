import Dispatch
import Glibc

/// Writes protocol messages to the host, one JSON object per line, in the order they are given.
///
/// The writes happen on a thread of their own: a host that stops reading blocks that thread
/// alone, never the few threads that run the relay's tasks (which would stop it from reading
/// its input, cancellations included). `send` returns once its message is written, so a slow
/// host slows down whoever produces for it.
final class MessageWriter: Sendable {
    private let fd: Int32
    private let queue = DispatchQueue(label: "oauth-relay output")

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
        let bytes = message.serialized()
        queue.async { [fd] in Self.writeLine(bytes, to: fd) }
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
            queue.async { [fd] in
                Self.writeLine(bytes, to: fd)
                continuation.resume()
            }
        }
    }

    private static func writeLine(_ message: [UInt8], to fd: Int32) {
        var bytes = message
        bytes.append(UInt8(ascii: "\n"))
        writeFully(fd, &bytes)
    }
}
