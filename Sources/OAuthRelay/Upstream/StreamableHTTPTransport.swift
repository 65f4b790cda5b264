import FoundationEssentials

/// What the upstream sent back for one POST or GET.
enum UpstreamReply: Sendable {
    /// 202 Accepted: a notification or response was taken, nothing comes back.
    case accepted
    /// JSON-RPC messages, from a JSON body or an SSE stream, as they arrive; and the
    /// `Mcp-Session-Id` the response carried.
    case messages(AsyncThrowingStream<UpstreamMessage, any Error>, sessionID: String?)
    /// Any other answer: the status, headers and (the start of) the body.
    case refused(status: Int, headers: [String: String], body: Data)
}

/// One JSON-RPC message from the upstream, with the SSE event id that carried it, if any; an SSE
/// event without data carries no message, only its id or retry time.
struct UpstreamMessage: Sendable {
    var message: RawMessage?
    var eventID: String?
    var retry: Int?
}

/// The MCP Streamable HTTP transport, client side: builds the POST, GET and DELETE requests for
/// one endpoint and turns responses into JSON-RPC messages. Holds no session state.
struct StreamableHTTPTransport: Sendable {
    let endpoint: URL
    let http: StreamingHTTPClient

    /// The headers every request carries.
    struct Context: Sendable {
        var sessionID: String?
        var protocolVersion: String?
        var token: TokenSet?
    }

    /// POSTs one message (its exact bytes) and returns the reply as soon as its head arrives.
    func post(_ body: Data, context: Context) async throws -> UpstreamReply {
        var request = makeRequest(method: "POST", context: context)
        request.setHeader("Accept", "application/json, text/event-stream")
        request.setHeader("Content-Type", "application/json")
        request.body = body
        return try await reply(to: request, timeout: nil)
    }

    /// Opens the server's message stream (GET), resuming after `lastEventID` when given.
    func listen(context: Context, lastEventID: String?) async throws -> UpstreamReply {
        var request = makeRequest(method: "GET", context: context)
        request.setHeader("Accept", "text/event-stream")
        if let lastEventID { request.setHeader("Last-Event-ID", lastEventID) }
        // An idle stream is normal here: allow a long quiet time, then reconnect.
        return try await reply(to: request, timeout: max(http.timeout, 300), streamOnly: true)
    }

    /// Ends the session (DELETE). Failures are not interesting: the server may not support it.
    func terminate(context: Context) async {
        let request = makeRequest(method: "DELETE", context: context)
        if let response = try? await http.open(request, timeout: min(http.timeout, 2)) {
            _ = try? await response.collect(limit: 4096, truncating: true)
        }
    }

    private func makeRequest(method: String, context: Context) -> OutgoingRequest {
        var request = OutgoingRequest(url: endpoint)
        request.method = method
        if let sessionID = context.sessionID { request.setHeader("Mcp-Session-Id", sessionID) }
        if let version = context.protocolVersion {
            request.setHeader("MCP-Protocol-Version", version)
        }
        if let token = context.token {
            request.setHeader("Authorization", "Bearer \(token.accessToken)")
        }
        return request
    }

    /// The reply to a request; with `streamOnly` (GET), anything but an event stream is refused.
    private func reply(to request: OutgoingRequest, timeout: TimeInterval?, streamOnly: Bool = false) async throws
        -> UpstreamReply
    {
        let response: StreamingResponse
        do {
            response = try await http.open(request, timeout: timeout)
        } catch let error as HTTPClientError {
            if error.kind == .cancelled { throw CancellationError() }
            throw UpstreamError.transport(error)
        }
        let mediaType = response.header("Content-Type")?.split(separator: ";").first
            .map { $0.trimmingWhitespace().lowercased() }
        switch (response.status, mediaType) {
        case (200, "text/event-stream"):
            return .messages(Self.events(response.body), sessionID: response.header("Mcp-Session-Id"))
        case _ where streamOnly:
            break
        case (202, _), (204, _):
            return .accepted
        case (200, "application/json"):
            let body = try await Self.collect(response)
            return .messages(Self.messages(inJSON: body), sessionID: response.header("Mcp-Session-Id"))
        default:
            break
        }
        return .refused(
            status: response.status, headers: response.headers,
            body: (try? await response.collect(limit: 64 << 10, truncating: true)) ?? Data())
    }

    private static func collect(_ response: StreamingResponse) async throws -> Data {
        do {
            return try await response.collect()
        } catch let error as HTTPClientError {
            throw UpstreamError.transport(error)
        }
    }

    /// A JSON body: one message, or a batch (older protocol versions).
    static func messages(inJSON body: Data) -> AsyncThrowingStream<UpstreamMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream<UpstreamMessage, any Error>.makeStream()
        do throws(JSONParseError) {
            let messages = try RawMessage.messages(inBody: body)
            guard messages.allSatisfy(\.isJSONRPC) else {
                throw JSONParseError.syntax(offset: 0, expected: "JSON-RPC 2.0 messages")
            }
            for message in messages { continuation.yield(UpstreamMessage(message: message)) }
            continuation.finish()
        } catch {
            continuation.finish(
                throwing: UpstreamError(
                    "the MCP server's JSON answer is not a JSON-RPC message (\(error)); check that "
                        + "RELAY_BACKEND_URL is the MCP endpoint"))
        }
        return stream
    }

    /// An SSE body: each event's data is one JSON-RPC message; events without data carry only
    /// their id. Read as the messages are taken, never ahead: a host that reads slowly slows
    /// the server down instead of filling the relay's memory.
    static func events(_ body: AsyncThrowingStream<Data, any Error>)
        -> AsyncThrowingStream<UpstreamMessage, any Error>
    {
        let reader = EventReader(body)
        return AsyncThrowingStream { try await reader.next() }
    }
}

/// Turns an SSE body into messages one at a time, reading a chunk only when the messages of the
/// previous one have been taken.
private actor EventReader {
    private var chunks: AsyncThrowingStream<Data, any Error>.AsyncIterator
    private var parser = SSEParser()
    private var ready: [UpstreamMessage] = []

    init(_ body: AsyncThrowingStream<Data, any Error>) {
        chunks = body.makeAsyncIterator()
    }

    func next() async throws -> UpstreamMessage? {
        while ready.isEmpty {
            var iterator = chunks
            let chunk: Data?
            do {
                chunk = try await iterator.next(isolation: #isolation)
            } catch let error as HTTPClientError {
                throw UpstreamError.transport(error)
            }
            chunks = iterator
            guard let chunk else { return nil }
            let events = parser.feed(chunk)
            if parser.overflowed {
                throw UpstreamError(
                    "the MCP server sent an event larger than \(SSEParser.defaultMaxEventBytes >> 20) MiB; "
                        + "the stream was closed")
            }
            // Message events, and data-less ones that only carry a retry time (type "").
            for event in events where event.type == "message" || event.type.isEmpty {
                // An event that is not a JSON-RPC message is dropped; its id still counts.
                let message = event.dataBytes.isEmpty ? nil : (try? RawMessage(event.dataBytes))
                ready.append(
                    UpstreamMessage(
                        message: message.flatMap { $0.isJSONRPC ? $0 : nil }, eventID: event.id, retry: event.retry))
            }
        }
        return ready.removeFirst()
    }
}
