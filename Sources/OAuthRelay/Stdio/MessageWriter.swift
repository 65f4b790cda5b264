import FoundationEssentials
import Synchronization

/// Writes protocol messages, one JSON object per line, each in a single locked write so
/// concurrent answers never interleave.
final class MessageWriter: Sendable {
    private let fd: Int32
    private let lock = Mutex(())

    init(fd: Int32) { self.fd = fd }

    func send(_ message: JSONValue) {
        write(message.serialized())
    }

    /// Writes a message as its peer sent it (`RawMessage` keeps it on one line).
    func send(_ message: RawMessage) {
        write(message.bytes)
    }

    private func write(_ message: [UInt8]) {
        var bytes = message
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in writeFully(fd, &bytes) }
    }
}
