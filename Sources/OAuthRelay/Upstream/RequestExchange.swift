import FoundationEssentials

/// One request from the host on its way through the proxy: POSTed upstream, every message of the
/// answer written to the host as it arrives, and an error answer if the upstream fails or
/// ends without answering.
struct RequestExchange: Sendable {
    let id: JSONValue
    let method: String
    let upstream: UpstreamSession
    let writer: MessageWriter
    let logger: Logger
    /// Frees the request's id just before its answer goes out; false when it was cancelled.
    let release: InFlightRequests.Release

    func run(body: Data, params: JSONValue?) async {
        do {
            let reply = try await upstream.send(body, method: method, params: params)
            switch reply {
            case .messages(let stream, _):
                let outcome = try await relayResuming(stream)
                guard !outcome.answered, !Task.isCancelled else { return }
                await fail(
                    outcome.malformed
                        ? "the MCP server answered \(method) with a malformed response (not a JSON-RPC result "
                            + "object or error object)"
                        : "the MCP server ended its answer to \(method) without a response")
            case .accepted:
                await fail("the MCP server accepted \(method) but sent no response")
            case .refused(let status, let headers, let body):
                await fail(
                    UpstreamError.status(
                        status, body: String(decoding: body, as: UTF8.self),
                        contentType: headers["content-type"]
                    ).message)
            }
        } catch is CancellationError {
            logger.debug("request \(method) cancelled")
        } catch let error as UpstreamError {
            if !Task.isCancelled { await fail(error.message) }
        } catch let error as OAuthError {
            await fail(error.message)
        } catch {
            if !Task.isCancelled { await fail("the request to the MCP server failed: \(error)") }
        }
    }

    /// Relays the answer stream; when it drops before the response and its events had ids, the
    /// server's stream is resumed with GET and `Last-Event-ID` (the transport's resumability).
    private func relayResuming(_ stream: AsyncThrowingStream<UpstreamMessage, any Error>) async throws -> Outcome {
        var outcome = await relay(stream, lastEventID: nil)
        var attempts = 0
        while !outcome.answered, let lastEventID = outcome.lastEventID, attempts < 3, !Task.isCancelled {
            attempts += 1
            logger.debug("the answer to \(method) broke off; resuming", ["mcp.attempt": "\(attempts)"])
            guard let resumed = try await upstream.listen(lastEventID: lastEventID) else { break }
            outcome = await relay(resumed, lastEventID: lastEventID)
        }
        if !outcome.answered, !outcome.malformed, let failure = outcome.failure { throw failure }
        return outcome
    }

    private struct Outcome {
        var answered = false
        /// A response with this request's id came, but not in the shape of a result or an error.
        var malformed = false
        var lastEventID: String?
        var failure: (any Error)?
    }

    /// How long the rest of an answer stream is read after its response. The server should end
    /// the stream then; reading on keeps the keep-alive connection, but a server that holds the
    /// stream open must not hold a connection of the relay's pool, and the request, forever.
    static let drainAfterAnswer: Duration = .seconds(1)

    /// Writes every message to the host and notes whether the response went out; after the
    /// response, reads the stream on for at most `drainAfterAnswer`.
    private func relay(_ stream: AsyncThrowingStream<UpstreamMessage, any Error>, lastEventID: String?) async
        -> Outcome
    {
        let (answered, signal) = AsyncStream<Void>.makeStream()
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                defer { signal.finish() }
                return await forward(stream, lastEventID: lastEventID) { signal.yield() }
            }
            group.addTask {
                for await _ in answered {
                    try? await Task.sleep(for: Self.drainAfterAnswer)
                    break
                }
                return nil
            }
            var outcome = Outcome(lastEventID: lastEventID)
            while let finished = await group.next() {
                if let finished { outcome = finished }
                group.cancelAll()
            }
            return outcome
        }
    }

    private func forward(
        _ stream: AsyncThrowingStream<UpstreamMessage, any Error>, lastEventID: String?,
        onAnswer: () -> Void
    ) async -> Outcome {
        var outcome = Outcome(lastEventID: lastEventID)
        do {
            for try await item in stream {
                if let id = item.eventID { outcome.lastEventID = id }
                guard let message = item.message else { continue }
                if Task.isCancelled { return Outcome(answered: true) }
                if message.isResponse {
                    // On a request's stream only its own first response belongs: another id's,
                    // or a second one that could meet a newer request under this id, is dropped.
                    guard !outcome.answered, message.id == id else {
                        logger.debug("dropped a response that does not answer \(method) on its stream")
                        continue
                    }
                    guard message.isWellFormedResponse else {
                        outcome.malformed = true
                        continue
                    }
                }
                let isAnswer = message.isResponse
                if isAnswer, method == "initialize", let result = message.member("result") {
                    await upstream.negotiated(result)
                }
                if isAnswer {
                    outcome.answered = true
                    guard release() else { return outcome }
                    await writer.send(message)
                    onAnswer()
                } else {
                    await writer.send(message)
                }
            }
        } catch {
            if outcome.answered { logger.debug("the rest of the answer stream to \(method) failed: \(error)") }
            outcome.failure = error
        }
        return outcome
    }

    private func fail(_ message: String) async {
        guard !Task.isCancelled, release() else { return }
        logger.warning("\(method) failed: \(message)")
        await writer.send(JSONRPC.error(id: id, code: UpstreamError.code, message: message))
    }
}
