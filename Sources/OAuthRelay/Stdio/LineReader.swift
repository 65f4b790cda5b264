import Dispatch
import Glibc

/// Reads newline-delimited messages from a file descriptor on a thread of its own and hands
/// them out as an async sequence. The sequence ends at end of file.
enum LineReader {
    /// A line, or a line that was longer than the limit (its bytes are dropped).
    enum Line: Sendable {
        case message([UInt8])
        case tooLong
    }

    static func lines(fd: Int32, maxLineBytes: Int) -> AsyncStream<Line> {
        AsyncStream { continuation in
            DispatchQueue(label: "oauth-relay input").async {
                var pending: [UInt8] = []
                var discarding = false
                var buffer = [UInt8](repeating: 0, count: 64 << 10)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    var start = 0
                    for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                        if !discarding {
                            pending.append(contentsOf: buffer[start..<index])
                            if pending.count > maxLineBytes {
                                continuation.yield(.tooLong)
                            } else {
                                continuation.yield(.message(pending))
                            }
                        }
                        pending.removeAll(keepingCapacity: true)
                        discarding = false
                        start = index + 1
                    }
                    if !discarding {
                        pending.append(contentsOf: buffer[start..<count])
                        if pending.count > maxLineBytes {
                            continuation.yield(.tooLong)
                            pending.removeAll()
                            discarding = true
                        }
                    }
                }
                if !discarding, !pending.isEmpty { continuation.yield(.message(pending)) }
                continuation.finish()
            }
        }
    }
}
