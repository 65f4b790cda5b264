import Glibc

/// Why a listening socket could not be opened.
public struct HTTPServerError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: Equatable, Sendable {
        /// Another process already listens on the requested port.
        case addressInUse
        /// The host is not a numeric IPv4 or IPv6 address.
        case invalidHost
        /// A socket call failed with another errno.
        case socket(errno: Int32)
        /// libmicrohttpd refused to start.
        case daemon
    }

    public let code: Code
    public let host: String
    public let port: UInt16

    public var description: String {
        switch code {
        case .addressInUse:
            "port \(port) on \(host) is already in use by another program"
        case .invalidHost:
            "\(host) is not a numeric IP address to listen on"
        case .socket(let number):
            "cannot listen on \(host):\(port): \(String(cString: strerror(number)))"
        case .daemon:
            "the HTTP server could not start on \(host):\(port)"
        }
    }
}

/// Opens a TCP listening socket bound to a numeric host and port (0 = chosen by the system).
/// Returns the descriptor and the port actually bound.
func openListenSocket(host: String, port: UInt16) throws -> (fd: Int32, port: UInt16) {
    func fail(_ code: HTTPServerError.Code) -> HTTPServerError {
        HTTPServerError(code: code, host: host, port: port)
    }

    var storage = sockaddr_storage()
    let length: socklen_t
    let family: Int32
    if inet_pton(AF_INET, host, &storage) == 1 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        _ = inet_pton(AF_INET, host, &address.sin_addr)
        withUnsafeMutableBytes(of: &storage) { raw in
            withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
        }
        length = socklen_t(MemoryLayout<sockaddr_in>.size)
        family = AF_INET
    } else {
        var address = sockaddr_in6()
        guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw fail(.invalidHost) }
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &storage) { raw in
            withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
        }
        length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        family = AF_INET6
    }

    let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw fail(.socket(errno: errno)) }
    var yes: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    if family == AF_INET6 {
        _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    let bound = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0, listen(fd, 128) == 0 else {
        let number = errno
        close(fd)
        throw fail(number == EADDRINUSE ? .addressInUse : .socket(errno: number))
    }

    var actual = sockaddr_storage()
    var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
    }
    let actualPort = withUnsafeBytes(of: actual) { raw -> UInt16 in
        if family == AF_INET {
            UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
        } else {
            UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
        }
    }
    return (fd, actualPort)
}

/// The numeric text form of a socket address.
func numericHost(_ address: UnsafePointer<sockaddr>) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    switch Int32(address.pointee.sa_family) {
    case AF_INET:
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
            var raw = ipv4.pointee.sin_addr
            guard inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    case AF_INET6:
        return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
            var raw = ipv6.pointee.sin6_addr
            guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    default:
        return nil
    }
}
