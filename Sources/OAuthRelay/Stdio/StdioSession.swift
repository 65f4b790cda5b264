import FoundationEssentials
import Glibc
import Synchronization

/// Runs the MCP server over stdin/stdout: reads messages, serves requests concurrently, honours
/// `notifications/cancelled`, and stops at end of input or on SIGTERM/SIGINT.
final class StdioSession: Sendable {
    /// Longest accepted message line.
    static let maxLineBytes = 16 << 20
    /// How long in-flight requests may still finish after input ends.
    static let drainTimeout: Duration = .milliseconds(1000)

    private let server: MCPServer
    private let writer: MessageWriter
    private let logger: Logger
    private let inFlight = InFlightRequests()

    init(server: MCPServer, writer: MessageWriter, logger: Logger) {
        self.server = server
        self.writer = writer
        self.logger = logger
    }

    /// Serves until stdin ends; returns when in-flight requests are done or the drain time is up.
    func run(inputFD: Int32) async {
        for await line in LineReader.lines(fd: inputFD, maxLineBytes: Self.maxLineBytes) {
            switch line {
            case .tooLong:
                writer.post(
                    JSONRPC.error(
                        id: .null, code: JSONRPCErrorCode.parseError,
                        message: "message longer than \(Self.maxLineBytes) bytes"))
            case .message(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                dispatch(IncomingMessage(line: bytes))
            }
        }
        logger.debug("end of input; finishing in-flight requests")
        await drain()
    }

    /// Cancels everything in flight (SIGTERM).
    func cancelAll() {
        inFlight.cancelAll()
    }

    private func dispatch(_ message: IncomingMessage) {
        switch message {
        case .unparseable:
            writer.post(
                JSONRPC.error(id: .null, code: JSONRPCErrorCode.parseError, message: "parse error: not valid JSON"))
        case .invalid(let id, let reason):
            writer.post(
                JSONRPC.error(id: id, code: JSONRPCErrorCode.invalidRequest, message: "invalid request: \(reason)"))
        case .response:
            logger.debug("ignoring a response; the relay sends no requests")
        case .notification(let method, let params):
            handleNotification(method: method, params: params)
        case .request(let id, let method, let params):
            start(id: id, method: method, params: params)
        }
    }

    private func start(id: JSONValue, method: String, params: JSONValue?) {
        let started = inFlight.start(id) { [server, writer] release in
            let answer = await server.respond(id: id, method: method, params: params)
            if release(), !Task.isCancelled { await writer.send(answer) }
        }
        if !started {
            writer.post(
                JSONRPC.error(
                    id: id, code: JSONRPCErrorCode.invalidRequest,
                    message: "invalid request: id \(id) is already in use"))
        }
    }

    private func handleNotification(method: String, params: JSONValue?) {
        switch method {
        case "notifications/cancelled":
            guard let id = params?["requestId"] else { return }
            if inFlight.cancel(id) { logger.debug("request cancelled by the host") }
        case "notifications/initialized":
            logger.debug("host initialized")
        default:
            logger.debug("ignoring notification \(method)")
        }
    }

    private func drain() async {
        await inFlight.drain(timeout: Self.drainTimeout)
    }
}
