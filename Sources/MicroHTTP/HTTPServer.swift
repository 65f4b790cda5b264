import CMicroHTTPD
import Glibc
import Synchronization

/// A small embedded HTTP/1.1 server on top of libmicrohttpd.
///
/// Handlers are synchronous and run on libmicrohttpd's threads, one thread per connection, so a
/// slow handler delays only its own connection. libmicrohttpd parses HTTP; this type turns its
/// callbacks into `HTTPRequest` values and enforces the body limit.
public final class HTTPServer: Sendable {
    /// Size limits applied to every request.
    public struct Limits: Sendable {
        /// Largest accepted body; a larger one gets 413.
        public var maxBodyBytes: Int
        /// Memory for the request line and headers; a request that does not fit gets 431.
        public var maxHeaderBytes: Int
        /// Seconds of inactivity before a connection is closed.
        public var idleTimeoutSeconds: UInt32
        /// Connections served at once (each has a thread); more are refused until one closes.
        public var maxConnections: UInt32

        public init(
            maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 64 << 10,
            idleTimeoutSeconds: UInt32 = 30, maxConnections: UInt32 = 512
        ) {
            self.maxBodyBytes = maxBodyBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.maxConnections = maxConnections
        }
    }

    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// The address the server listens on.
    public let host: String
    /// The port actually bound (the system's choice when 0 was asked for).
    public let port: UInt16

    private let daemon: Mutex<OpaquePointer?>
    private let context: Unmanaged<ServerContext>

    /// Starts listening immediately.
    /// - Throws: `HTTPServerError`, e.g. `.addressInUse` when the port is taken.
    public init(
        host: String = "127.0.0.1", port: UInt16 = 0, limits: Limits = Limits(),
        handler: @escaping Handler
    ) throws {
        let socket = try openListenSocket(host: host, port: port)
        let context = Unmanaged.passRetained(ServerContext(limits: limits, handler: handler))
        let flags =
            UInt32(MHD_USE_INTERNAL_POLLING_THREAD.rawValue)
            | UInt32(MHD_USE_THREAD_PER_CONNECTION.rawValue)
            | UInt32(MHD_USE_POLL.rawValue)
        let started = relay_mhd_start(
            flags, socket.fd, accessHandler, context.toOpaque(), requestCompleted,
            context.toOpaque(), limits.maxHeaderBytes, limits.idleTimeoutSeconds, 0, limits.maxConnections)
        guard let started else {
            close(socket.fd)
            context.release()
            throw HTTPServerError(code: .daemon, host: host, port: port)
        }
        self.host = host
        self.port = socket.port
        self.daemon = Mutex(started)
        self.context = context
    }

    deinit { stop() }

    /// Closes the listening socket and waits for in-flight requests. Safe to call more than once.
    public func stop() {
        let running = daemon.withLock { daemon -> OpaquePointer? in
            defer { daemon = nil }
            return daemon
        }
        guard let running else { return }
        MHD_stop_daemon(running)
        context.release()
    }

    /// `http://host:port` with IPv6 hosts in brackets.
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }
}

/// State shared by every callback of one server.
private final class ServerContext: Sendable {
    let limits: HTTPServer.Limits
    let handler: HTTPServer.Handler

    init(limits: HTTPServer.Limits, handler: @escaping HTTPServer.Handler) {
        self.limits = limits
        self.handler = handler
    }
}

/// The body collected for one request across libmicrohttpd's upload callbacks.
private final class PendingRequest {
    var body: [UInt8] = []
    var tooLarge = false
}

private let accessHandler: MHD_AccessHandlerCallback = {
    contextPointer, connection, url, method, _, uploadData, uploadSize, requestPointer in
    guard let contextPointer, let connection, let uploadSize, let requestPointer else {
        return .NO
    }
    let context = Unmanaged<ServerContext>.fromOpaque(contextPointer).takeUnretainedValue()

    guard let existing = requestPointer.pointee else {
        // First call for this request: headers are known, no body yet.
        let declared = headerValue(connection, "Content-Length").flatMap { Int($0) } ?? 0
        if declared > context.limits.maxBodyBytes {
            return send(
                .bodyTooLarge,
                on: connection)
        }
        requestPointer.pointee = Unmanaged.passRetained(PendingRequest()).toOpaque()
        return .YES
    }

    let pending = Unmanaged<PendingRequest>.fromOpaque(existing).takeUnretainedValue()
    if uploadSize.pointee > 0 {
        if let uploadData, !pending.tooLarge {
            if pending.body.count + uploadSize.pointee > context.limits.maxBodyBytes {
                pending.tooLarge = true
                pending.body = []
            } else {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: uploadSize.pointee) {
                    pending.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: uploadSize.pointee))
                }
            }
        }
        uploadSize.pointee = 0
        return .YES
    }

    if pending.tooLarge {
        return send(
            .bodyTooLarge,
            on: connection)
    }
    let request = HTTPRequest(
        method: method.map { String(cString: $0) } ?? "GET",
        path: url.map { String(cString: $0) } ?? "/",
        query: connectionValues(connection, kind: .GET_ARGUMENT_KIND),
        headers: connectionValues(connection, kind: .HEADER_KIND),
        body: pending.body,
        remoteAddress: relay_mhd_client_address(connection).flatMap(numericHost))
    return send(context.handler(request), on: connection)
}

private let requestCompleted: MHD_RequestCompletedCallback = { _, _, requestPointer, _ in
    guard let requestPointer, let existing = requestPointer.pointee else { return }
    Unmanaged<PendingRequest>.fromOpaque(existing).release()
    requestPointer.pointee = nil
}

private func send(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    let created = response.body.withUnsafeBytes { buffer in
        MHD_create_response_from_buffer(
            buffer.count, UnsafeMutableRawPointer(mutating: buffer.baseAddress),
            .RESPMEM_MUST_COPY)
    }
    guard let created else { return .NO }
    defer { MHD_destroy_response(created) }
    for (name, value) in response.headers {
        _ = MHD_add_response_header(created, name, value)
    }
    return MHD_queue_response(connection, UInt32(response.status), created)
}

/// Collects header or query values of the given kind, in order.
private final class ValueCollector {
    var values: [(name: String, value: String)] = []
}

private func connectionValues(_ connection: OpaquePointer, kind: MHD_ValueKind)
    -> [(name: String, value: String)]
{
    let collector = ValueCollector()
    let unmanaged = Unmanaged.passUnretained(collector)
    _ = MHD_get_connection_values(
        connection, kind,
        { pointer, _, key, value in
            guard let pointer, let key else { return .YES }
            let collector = Unmanaged<ValueCollector>.fromOpaque(pointer).takeUnretainedValue()
            collector.values.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
            return .YES
        }, unmanaged.toOpaque())
    return collector.values
}

private func headerValue(_ connection: OpaquePointer, _ name: String) -> String? {
    MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
}

extension HTTPResponse {
    /// 413, in the OAuth error shape (RFC 6749 §5.2) the servers built on this answer in.
    static let bodyTooLarge = HTTPResponse.json(
        413, body: Array(#"{"error":"invalid_request","error_description":"request body is too large"}"#.utf8))
}
