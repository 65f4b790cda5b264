import Dispatch
import FoundationEssentials
import Synchronization

/// Proxy mode: every message from the host (stdio) is POSTed to the upstream MCP server, and
/// every message the server sends back — in JSON or SSE answers and on its GET stream — is
/// written to the host. Ids pass through unchanged.
final class ProxySession: Sendable {
    /// How long in-flight requests may still finish after input ends.
    static let drainTimeout: Duration = .milliseconds(1000)

    private let upstream: UpstreamSession
    private let writer: MessageWriter
    private let logger: Logger
    private let inFlight = InFlightRequests()
    private let listener: ServerStreamListener
    /// The last notification or response on its way upstream. Later messages wait for it, so the
    /// server sees them in the host's order (`notifications/initialized` before the first request).
    private let lastOneWay = Mutex<Task<Void, Never>?>(nil)

    init(upstream: UpstreamSession, writer: MessageWriter, logger: Logger) {
        self.upstream = upstream
        self.writer = writer
        self.logger = logger
        listener = ServerStreamListener(upstream: upstream, writer: writer, logger: logger)
    }

    /// Serves until stdin ends, then lets in-flight requests finish and ends the upstream session.
    func run(inputFD: Int32) async {
        for await line in LineReader.lines(fd: inputFD, maxLineBytes: StdioSession.maxLineBytes) {
            switch line {
            case .tooLong:
                writer.post(
                    JSONRPC.error(
                        id: .null, code: JSONRPCErrorCode.parseError,
                        message: "message longer than \(StdioSession.maxLineBytes) bytes"))
            case .message(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                dispatch(bytes)
            }
        }
        logger.debug("end of input; finishing in-flight requests")
        await drain()
        listener.stop()
        await upstream.terminate()
    }

    /// Sends the DELETE that ends the upstream session and waits for it, at most a second: the
    /// process is about to exit, so this blocks on purpose.
    func endUpstreamSession() {
        let done = DispatchSemaphore(value: 0)
        Task { [upstream] in
            await upstream.terminate()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 1)
    }

    /// Cancels everything in flight (SIGTERM).
    func cancelAll() {
        inFlight.cancelAll()
        listener.stop()
    }

    private func dispatch(_ bytes: [UInt8]) {
        // The host's exact bytes go upstream; only the members that route it are read.
        guard let message = try? RawMessage(bytes), message.member("jsonrpc") == "2.0" else {
            answerInvalid(bytes)
            return
        }
        let body = Data(bytes)
        switch (message.id, message.method) {
        case (let id?, let method?) where id.isValidRequestID:
            start(id: id, method: method, params: message.member("params"), body: body)
        case (nil, let method?):
            notify(method: method, params: message.member("params"), body: body)
        case (.some, nil) where message.isResponse:
            forward(body, what: "response")
        default:
            answerInvalid(bytes)
        }
    }

    /// Local answers for lines that are not JSON-RPC, exactly as in REST mode.
    private func answerInvalid(_ bytes: [UInt8]) {
        switch IncomingMessage(line: bytes) {
        case .unparseable:
            writer.post(
                JSONRPC.error(
                    id: .null, code: JSONRPCErrorCode.parseError, message: "parse error: not valid JSON"))
        case .invalid(let id, let reason):
            writer.post(
                JSONRPC.error(
                    id: id, code: JSONRPCErrorCode.invalidRequest, message: "invalid request: \(reason)"))
        default:
            writer.post(JSONRPC.error(id: .null, code: JSONRPCErrorCode.invalidRequest, message: "invalid request"))
        }
    }

    private func start(id: JSONValue, method: String, params: JSONValue?, body: Data) {
        let before = lastOneWay.withLock { $0 }
        let started = inFlight.start(id) { [upstream, writer, logger] release in
            await before?.value
            let exchange = RequestExchange(
                id: id, method: method, upstream: upstream, writer: writer, logger: logger, release: release)
            await exchange.run(body: body, params: params)
        }
        if !started {
            // Two requests under one id could not be told apart, nor cancelled one by one.
            writer.post(
                JSONRPC.error(
                    id: id, code: JSONRPCErrorCode.invalidRequest,
                    message: "invalid request: id \(id) is already in use"))
        }
    }

    private func notify(method: String, params: JSONValue?, body: Data) {
        if method == "notifications/cancelled", let id = params?["requestId"] {
            // Abort our HTTP request at once; the server hears of it through the notification.
            inFlight.cancel(id)
        }
        let opensStream = method == "notifications/initialized"
        forward(body, what: method) { [listener] in
            if opensStream { listener.start() }
        }
    }

    /// How long later messages wait for the server to take a notification or response (the
    /// head of its answer), so that it sees them in the host's order without a server that never
    /// answers holding them all up.
    static let oneWayWait: Duration = .seconds(2)

    /// POSTs a notification or a response; the server answers 202 and nothing else.
    private func forward(_ body: Data, what: String, then: (@Sendable () -> Void)? = nil) {
        lastOneWay.withLock { last in
            let before = last
            last = Task {
                await before?.value
                let (taken, signal) = AsyncStream<Void>.makeStream()
                Task { await self.deliver(body, what: what, taken: signal) }
                await withTimeLimit(Self.oneWayWait) {
                    for await _ in taken { break }
                }
                then?()
            }
        }
    }

    private func deliver(_ body: Data, what: String, taken: AsyncStream<Void>.Continuation) async {
        defer { taken.finish() }
        do {
            let reply = try await upstream.send(body, method: nil, params: nil)
            taken.yield()
            switch reply {
            case .refused(let status, _, _):
                logger.warning("the MCP server refused a \(what) with HTTP \(status)")
            case .messages(let stream, _):
                // Only a request's answer is a stream by the transport's rules; one for a
                // notification is read briefly and its messages passed on.
                await withTimeLimit(RequestExchange.drainAfterAnswer) {
                    do {
                        for try await item in stream {
                            if let message = item.message { await self.writer.send(message) }
                        }
                    } catch {
                        self.logger.debug("the answer stream to a \(what) failed: \(error)")
                    }
                }
            case .accepted:
                break
            }
        } catch {
            logger.warning("could not forward a \(what) to the MCP server: \(error)")
        }
    }

    private func drain() async {
        await inFlight.drain(timeout: Self.drainTimeout)
    }
}

/// Runs `operation`, cancelling it once `limit` has passed.
func withTimeLimit(_ limit: Duration, _ operation: @escaping @Sendable () async -> Void) async {
    await withTaskGroup(of: Void.self) { group in
        group.addTask { await operation() }
        group.addTask { try? await Task.sleep(for: limit) }
        await group.next()
        group.cancelAll()
    }
}
