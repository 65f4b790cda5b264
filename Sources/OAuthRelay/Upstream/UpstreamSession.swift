import FoundationEssentials

/// The relay's session with the upstream MCP server: session id, negotiated protocol version
/// and bearer token on every request; sign-in on 401, step-up on 403 insufficient_scope, and a
/// fresh initialize when the server forgets the session (404).
actor UpstreamSession {
    /// Ids of the relay's own requests start with this, so they never collide with the host's.
    static let ownIDPrefix = "oauth-relay-"

    let transport: StreamableHTTPTransport
    let authorizer: Authorizer
    let logger: Logger

    private var sessionID: String?
    private var protocolVersion: String?
    /// The host's initialize request, replayed when the session expires.
    private var initializeParams: JSONValue?
    private var reinitializing: Task<Void, any Error>?
    private var ownRequests = 0
    /// True once the server has answered an initialize with a result: only then is there a
    /// session whose message stream is worth opening.
    private var initialized = false
    /// True while the host's initialize is on its way; other messages wait for its session id.
    private var starting = false
    private var startWaiters: [CheckedContinuation<Void, Never>] = []

    init(transport: StreamableHTTPTransport, authorizer: Authorizer, logger: Logger) {
        self.transport = transport
        self.authorizer = authorizer
        self.logger = logger
    }

    /// The headers for the next request.
    var context: StreamableHTTPTransport.Context {
        StreamableHTTPTransport.Context(sessionID: sessionID, protocolVersion: protocolVersion)
    }

    /// Records the version the server chose in its initialize result.
    func negotiated(_ result: JSONValue) {
        if let version = result["protocolVersion"]?.stringValue { protocolVersion = version }
        initialized = true
    }

    /// Sends one message from the host (`body` is its exact bytes) and returns the reply.
    /// - Throws: `UpstreamError`, `OAuthError` or `CancellationError`.
    func send(_ body: Data, method: String?, params: JSONValue?) async throws -> UpstreamReply {
        let initializing = method == "initialize"
        if initializing {
            initializeParams = params
            sessionID = nil
            protocolVersion = nil
            starting = true
        } else {
            while starting { await withCheckedContinuation { startWaiters.append($0) } }
        }
        defer {
            if initializing {
                starting = false
                startWaiters.forEach { $0.resume() }
                startWaiters.removeAll()
            }
        }
        return try await authorized(startsSession: initializing) { context in
            try await self.transport.post(body, context: context)
        }
    }

    /// Opens the server's message stream; nil when there is no initialized session, or the
    /// server offers none (405, or an answer that is not an event stream).
    func listen(lastEventID: String?) async throws -> AsyncThrowingStream<UpstreamMessage, any Error>? {
        guard initialized else { return nil }
        let reply = try await authorized(startsSession: false) { context in
            try await self.transport.listen(context: context, lastEventID: lastEventID)
        }
        switch reply {
        case .messages(let stream, _): return stream
        case .accepted: return nil
        case .refused(let status, _, _) where status == 405 || (200..<300).contains(status): return nil
        case .refused(let status, let headers, let body):
            throw UpstreamError.status(
                status, body: String(decoding: body, as: UTF8.self),
                contentType: headers["content-type"])
        }
    }

    /// Ends the session with DELETE (when the host goes away).
    func terminate() async {
        guard sessionID != nil else { return }
        var context = context
        context.token = try? await authorizer.currentTokens()
        await transport.terminate(context: context)
        sessionID = nil
    }

    /// Sends with the current headers and token; recovers from 401, 403 insufficient_scope and
    /// (once) an expired session, then sends again.
    private func authorized(
        startsSession: Bool, _ send: @Sendable (StreamableHTTPTransport.Context) async throws -> UpstreamReply
    ) async throws -> UpstreamReply {
        var retry = AuthorizationRetry(token: try await authorizer.currentTokens())
        var renewed = startsSession
        while true {
            if let reinitializing, !startsSession { try await reinitializing.value }
            let current = context.with(token: retry.token)
            let reply = try await send(current)
            guard case .refused(let status, let headers, _) = reply else {
                if startsSession, case .messages(_, let newSession) = reply { sessionID = newSession }
                return reply
            }
            let challenge = AuthenticateChallenge.bearer(in: headers["www-authenticate"])
            if try await retry.recover(
                status: status, challenge: challenge, authorizer: authorizer, logger: logger, peer: "MCP server")
            {
                continue
            } else if status == 404, let expired = current.sessionID, !renewed {
                renewed = true
                try await renew(expired: expired, token: retry.token)
            } else {
                return reply
            }
        }
    }

    /// Replays the host's initialize once for all requests that found the session `expired`.
    private func renew(expired: String, token: TokenSet?) async throws {
        if let reinitializing {
            try await reinitializing.value
            return
        }
        guard sessionID == expired else { return }
        guard let params = initializeParams else {
            throw UpstreamError("the MCP server does not know the session, and the host has not initialized one")
        }
        logger.info("the MCP server ended the session; initializing a new one")
        let task = Task { try await self.reinitialize(params: params, token: token) }
        reinitializing = task
        defer { reinitializing = nil }
        try await task.value
    }

    private func reinitialize(params: JSONValue, token: TokenSet?) async throws {
        sessionID = nil
        protocolVersion = nil
        ownRequests += 1
        let id = JSONValue.string("\(Self.ownIDPrefix)initialize-\(ownRequests)")
        let request: JSONValue = ["jsonrpc": "2.0", "id": id, "method": "initialize", "params": params]
        let reply = try await transport.post(Data(request.serialized()), context: context.with(token: token))
        guard case .messages(let stream, let newSession) = reply else {
            throw UpstreamError("the MCP server refused a new session after the old one expired")
        }
        var answered = false
        for try await item in stream where item.message?.isResponse == true && item.message?.id == id {
            guard let result = item.message?.member("result") else { break }
            negotiated(result)
            answered = true
            break
        }
        guard answered else { throw UpstreamError("the MCP server did not initialize a new session") }
        sessionID = newSession
        let initialized: JSONValue = ["jsonrpc": "2.0", "method": "notifications/initialized"]
        _ = try await transport.post(Data(initialized.serialized()), context: context.with(token: token))
    }
}

extension StreamableHTTPTransport.Context {
    func with(token: TokenSet?) -> Self {
        var copy = self
        copy.token = token
        return copy
    }
}
