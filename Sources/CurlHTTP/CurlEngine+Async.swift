import FoundationEssentials
import Synchronization

/// A response whose body arrives chunk by chunk.
public struct CurlStreamingResponse: Sendable {
    public var head: CurlResponseHead
    /// The body as the network delivers it; dropping the stream before its end cancels the
    /// transfer.
    public var body: AsyncThrowingStream<Data, any Error>
}

extension CurlEngine {
    /// Sends a request and returns once the response head has arrived.
    ///
    /// The body is read as fast as it is consumed: while more than `BodyQueue.highWater` bytes
    /// wait unread, the transfer is paused, so a server that sends faster than the reader
    /// passes messages on cannot grow the process's memory.
    /// - Parameter bodyError: what the body stream throws for a transfer that fails after the head.
    /// - Throws: `CurlError` when no head arrives, `.cancelled` when the task is cancelled.
    public func open(
        _ request: CurlRequest, bodyError: @escaping @Sendable (CurlError) -> any Error = { $0 }
    ) async throws(CurlError) -> CurlStreamingResponse {
        let queue = BodyQueue(engine: self)
        let waiter = Mutex<CheckedContinuation<CurlResponseHead, any Error>?>(nil)
        let sink = Transfer.Sink(
            onHead: { head in waiter.withLock { $0.take() }?.resume(returning: head) },
            onData: { [weak queue] chunk in queue?.offer(chunk) ?? true },
            onDone: { [weak queue] result in
                switch result {
                case .success:
                    waiter.withLock { $0.take() }?.resume(throwing: CurlError(kind: .other, detail: "no response"))
                    queue?.finish(nil)
                case .failure(let error):
                    waiter.withLock { $0.take() }?.resume(throwing: error)
                    queue?.finish(bodyError(error))
                }
            })
        let transfer = try Transfer(request, sink: sink)
        queue.transfer = transfer
        let head = try await submitAndWait(transfer) { continuation in waiter.withLock { $0 = continuation } }
        let body = AsyncThrowingStream<Data, any Error> { try await queue.next() }
        return CurlStreamingResponse(head: head, body: body)
    }

    /// Sends a request and reads the whole body, at most `request.maxBodyBytes`.
    /// - Throws: `CurlError`; `.tooLarge` when the body exceeds the limit.
    public func fetch(_ request: CurlRequest) async throws(CurlError) -> (head: CurlResponseHead, body: Data) {
        let head = Mutex<CurlResponseHead?>(nil)
        let waiter = Mutex<CheckedContinuation<Data, any Error>?>(nil)
        let sink = Transfer.Sink(
            onHead: { received in head.withLock { $0 = received } },
            onData: nil,
            onDone: { result in waiter.withLock { $0.take() }?.resume(with: result.mapError { $0 }) })
        let transfer = try Transfer(request, sink: sink)
        let body = try await submitAndWait(transfer) { continuation in waiter.withLock { $0 = continuation } }
        guard let received = head.withLock({ $0 }) else {
            throw CurlError(kind: .other, detail: "no response")
        }
        return (received, body)
    }

    /// Submits `transfer` and waits for the continuation that `install` hands to its sink;
    /// cancelling the task cancels the transfer.
    private func submitAndWait<Value: Sendable>(
        _ transfer: Transfer, install: (CheckedContinuation<Value, any Error>) -> Void
    ) async throws(CurlError) -> Value {
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    install(continuation)
                    submit(transfer)
                }
            } onCancel: {
                cancel(transfer)
            }
        } catch let error as CurlError {
            throw error
        } catch {
            throw CurlError(kind: .other, detail: "\(type(of: error))")
        }
    }
}
