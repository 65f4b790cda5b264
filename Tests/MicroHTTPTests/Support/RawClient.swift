import Foundation
import Glibc
import LoopbackSocket
import Testing

/// Sends one HTTP/1.1 request over a plain TCP socket to an IPv6 address and reads the answer
/// until the server closes. URLSession on Linux cannot reach IPv6 literals in this toolchain
/// (swift-corelibs-foundation issue 5496, NSURLErrorBadURL), so IPv6 tests use this instead.
func rawIPv6Request(port: UInt16, target: String) throws -> Fetched {
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_port = port.bigEndian
    _ = inet_pton(AF_INET6, "::1", &address.sin6_addr)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }
    try #require(connected == 0)
    let request = Array("GET \(target) HTTP/1.1\r\nHost: [::1]:\(port)\r\nConnection: close\r\n\r\n".utf8)
    try #require(request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } == request.count)

    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received += buffer.prefix(count)
    }
    let text = String(decoding: received, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let statusLine = try #require(parts.first?.split(separator: "\r\n").first)
    let status = try #require(Int(statusLine.split(separator: " ")[1]))
    return Fetched(status: status, headers: [:], body: Data(parts.dropFirst().joined(separator: "\r\n\r\n").utf8))
}

/// A TCP connection to 127.0.0.1 that sends nothing and is closed when released: how a local
/// process can hold a server's connection slots.
final class IdleConnection {
    private let fd: Int32

    init(port: UInt16) throws {
        fd = connectToLoopback(port: port)
        try #require(fd >= 0)
    }

    deinit { close(fd) }
}
