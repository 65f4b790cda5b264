import Glibc
import LoopbackSocket
import Testing

/// Sends `head` (a request line and headers, no body) over a plain TCP socket to 127.0.0.1 and
/// returns the status of the answer. For requests whose body a client must never have to send,
/// such as one whose declared length is over the limit: sending it would race the server's close.
func rawStatus(port: UInt16, head: String) throws -> Int {
    let fd = connectToLoopback(port: port)
    try #require(fd >= 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let request = Array(head.utf8)
    try #require(request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } == request.count)
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !received.starts(with: Array("HTTP/1.1 ".utf8)) || !String(decoding: received, as: UTF8.self).contains("\r\n")
    {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received += buffer.prefix(count)
    }
    let statusLine = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first ?? ""
    let fields = statusLine.split(separator: " ")
    return try #require(fields.count > 1 ? Int(fields[1]) : nil, "no status line in \(statusLine)")
}
