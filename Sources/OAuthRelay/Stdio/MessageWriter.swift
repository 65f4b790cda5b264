import Foundation
import Synchronization

/// Writes protocol messages, one JSON object per line, each in a single locked write so
/// concurrent answers never interleave.
final class MessageWriter: Sendable {
    private let fd: Int32
    private let lock = Mutex(())

    init(fd: Int32) { self.fd = fd }

    func send(_ message: JSONValue) {
        guard var bytes = try? [UInt8](JSONCoding.encode(message)) else { return }
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in writeFully(fd, &bytes) }
    }
}
