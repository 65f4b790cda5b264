import Foundation

/// One request from the host on its way through the proxy: POSTed upstream, every message of the
/// answer written to the host as it arrives, and an error answer if the upstream fails or
/// ends without answering.
struct RequestExchange: Sendable {
    let id: JSONValue
    let method: String
    let upstream: UpstreamSession
    let writer: MessageWriter
    let logger: Logger

    func run(body: Data, params: JSONValue?) async {
        do {
            let reply = try await upstream.send(body, method: method, params: params)
            switch reply {
            case .messages(let stream, _):
                if try await relay(stream) { return }
                guard !Task.isCancelled else { return }
                fail("the MCP server ended its answer to \(method) without a response")
            case .accepted:
                fail("the MCP server accepted \(method) but sent no response")
            case .refused(let status, let headers, let body):
                fail(UpstreamError.status(status, body: String(decoding: body, as: UTF8.self),
                                          contentType: headers["content-type"]).message)
            }
        } catch is CancellationError {
            logger.debug("request \(method) cancelled")
        } catch let error as UpstreamError {
            if !Task.isCancelled { fail(error.message) }
        } catch let error as OAuthError {
            fail(error.message)
        } catch {
            if !Task.isCancelled { fail("the request to the MCP server failed: \(error)") }
        }
    }

    /// Writes every message to the host; true once the response to this request went out.
    ///
    /// After the response the stream is read to its end rather than dropped: dropping it would
    /// abort the HTTP exchange and close the keep-alive connection with it.
    private func relay(_ stream: AsyncThrowingStream<UpstreamMessage, any Error>) async throws -> Bool {
        var answered = false
        do {
            for try await item in stream where item.message != .null {
                if Task.isCancelled { return true }
                let isAnswer = !answered && item.message["id"] == id && item.message["method"] == nil
                if isAnswer, method == "initialize", let result = item.message["result"] {
                    await upstream.negotiated(result)
                }
                writer.send(item.message)
                answered = answered || isAnswer
            }
        } catch where answered {
            logger.debug("the answer to \(method) arrived; the rest of its stream failed: \(error)")
        }
        return answered
    }

    private func fail(_ message: String) {
        guard !Task.isCancelled else { return }
        logger.warning("\(method) failed: \(message)")
        writer.send(JSONRPC.error(id: id, code: UpstreamError.code, message: message))
    }
}
