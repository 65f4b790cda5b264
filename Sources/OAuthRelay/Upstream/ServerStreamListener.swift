import FoundationEssentials
import Synchronization

/// The server's own message stream (GET with `Accept: text/event-stream`): opened once the host
/// has initialized, every message written to the host, and resumed with `Last-Event-ID` after a
/// drop. A server that offers no stream (405) is left alone.
final class ServerStreamListener: Sendable {
    /// Consecutive failures after which the relay stops reconnecting.
    static let maxFailures = 5

    private let upstream: UpstreamSession
    private let writer: MessageWriter
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(upstream: UpstreamSession, writer: MessageWriter, logger: Logger) {
        self.upstream = upstream
        self.writer = writer
        self.logger = logger
    }

    /// Opens the stream unless it is open already.
    func start() {
        task.withLock { current in
            if current == nil { current = Task { await self.listen() } }
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    /// The shortest wait before reconnecting, whatever `retry` the server asks for: a server
    /// that says `retry: 0` and closes each stream at once must not get a loop of requests.
    static let minimumDelay: Duration = .milliseconds(500)

    private func listen() async {
        var lastEventID: String?
        var delay = Duration.seconds(1)
        var failures = 0
        var emptyStreams = 0
        while !Task.isCancelled {
            do {
                guard let stream = try await upstream.listen(lastEventID: lastEventID) else {
                    logger.debug("the MCP server offers no message stream of its own")
                    return
                }
                logger.debug("server message stream open", ["mcp.resumed": lastEventID == nil ? "no" : "yes"])
                failures = 0
                var delivered = false
                defer { emptyStreams = delivered ? 0 : emptyStreams + 1 }
                for try await item in stream {
                    if let id = item.eventID { lastEventID = id }
                    if let retry = item.retry { delay = max(.milliseconds(retry), Self.minimumDelay) }
                    if let message = item.message {
                        delivered = true
                        // The server's own stream carries requests and notifications; a response
                        // here answers nothing the host is waiting for on it.
                        guard !message.isResponse else {
                            logger.debug("dropped a response on the MCP server's own stream")
                            continue
                        }
                        await writer.send(message)
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.debug("server message stream failed: \(error)")
                if failures >= Self.maxFailures {
                    logger.warning("giving up on the MCP server's message stream: \(error)")
                    return
                }
            }
            if Task.isCancelled { return }
            // Failures and streams that end with nothing in them back off, doubling up to 64 times.
            try? await Task.sleep(for: delay * (1 << min(max(failures, emptyStreams), 6)))
        }
    }
}
