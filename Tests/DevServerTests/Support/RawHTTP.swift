import Glibc
import Testing

/// Sends `head` (a request line and headers, no body) over a plain TCP socket to 127.0.0.1 and
/// returns the status of the answer. For requests whose body a client must never have to send,
/// such as one whose declared length is over the limit: sending it would race the server's close.
func rawStatus(port: UInt16, head: String) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    try #require(connected == 0)
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
