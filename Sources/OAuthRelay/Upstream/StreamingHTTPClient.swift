import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The head of an HTTP response whose body arrives as a stream of chunks.
struct StreamingResponse: Sendable {
    var status: Int
    /// Header fields with lower-cased names.
    var headers: [String: String]
    /// The body, chunk by chunk as the network delivers it. Stopping iteration cancels the request.
    var body: AsyncThrowingStream<Data, any Error>

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The whole body, at most `limit` bytes (the rest is dropped), for JSON answers and errors.
    func collect(limit: Int = 16 << 20) async throws -> Data {
        var data = Data()
        for try await chunk in body where data.count < limit {
            data.append(chunk.prefix(limit - data.count))
        }
        return data
    }
}

/// One URLSession (one keep-alive connection pool) whose responses are handed out as soon as
/// their head arrives, with the body streamed chunk by chunk: what SSE needs. FoundationNetworking
/// on Linux has no `bytes(for:)`, so a data delegate feeds each request's stream.
final class StreamingHTTPClient: Sendable {
    private let session: URLSession
    private let delegate: StreamingDelegate
    let timeout: TimeInterval

    init(timeout: TimeInterval) {
        self.timeout = timeout
        delegate = StreamingDelegate()
        session = URLSession(configuration: .relay(timeout: timeout), delegate: delegate, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    /// Sends a request and returns once the response head arrives.
    /// - Parameter timeout: the idle timeout for this request; the client's default when nil.
    /// - Throws: `HTTPClientError` when no response head arrives (unreachable, TLS, timeout,
    ///   cancelled).
    func open(_ request: URLRequest, timeout: TimeInterval? = nil) async throws -> StreamingResponse {
        var request = request
        request.timeoutInterval = timeout ?? self.timeout
        let origin = HTTPClient.origin(of: request.url)
        let task = session.dataTask(with: request)
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let cancel = TaskCanceller(task)
        continuation.onTermination = { reason in
            if case .cancelled = reason { cancel.cancel() }
        }
        do {
            let head = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (head: CheckedContinuation<HTTPURLResponse, any Error>) in
                    delegate.register(task.taskIdentifier, head: head, body: continuation, origin: origin)
                    task.resume()
                }
            } onCancel: {
                cancel.cancel()
            }
            var headers: [String: String] = [:]
            for (name, value) in head.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            return StreamingResponse(status: head.statusCode, headers: headers, body: body)
        } catch let error as HTTPClientError {
            throw error
        } catch {
            throw HTTPClientError(kind: .other, origin: origin, detail: "\(type(of: error))")
        }
    }
}

/// Cancels a URLSession task from any context.
private struct TaskCanceller: @unchecked Sendable {
    // URLSessionTask is thread-safe; it is only not marked Sendable on this platform.
    let task: URLSessionTask
    init(_ task: URLSessionTask) { self.task = task }
    func cancel() { task.cancel() }
}

/// Routes each task's delegate callbacks to the continuations of its `open` call.
private final class StreamingDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct Entry {
        var head: CheckedContinuation<HTTPURLResponse, any Error>?
        let body: AsyncThrowingStream<Data, any Error>.Continuation
        let origin: String
    }

    private let entries = Mutex<[Int: Entry]>([:])

    func register(
        _ id: Int, head: CheckedContinuation<HTTPURLResponse, any Error>,
        body: AsyncThrowingStream<Data, any Error>.Continuation, origin: String
    ) {
        entries.withLock { $0[id] = Entry(head: head, body: body, origin: origin) }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let head = entries.withLock { entries -> CheckedContinuation<HTTPURLResponse, any Error>? in
            defer { entries[dataTask.taskIdentifier]?.head = nil }
            return entries[dataTask.taskIdentifier]?.head
        }
        if let http = response as? HTTPURLResponse {
            head?.resume(returning: http)
            completionHandler(.allow)
        } else {
            head?.resume(throwing: HTTPClientError(kind: .other, origin: "", detail: "not an HTTP response"))
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let body = entries.withLock { $0[dataTask.taskIdentifier]?.body }
        body?.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = entries.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        guard let error else {
            entry.head?.resume(throwing: HTTPClientError(kind: .other, origin: entry.origin, detail: "no response"))
            entry.body.finish()
            return
        }
        let failure: HTTPClientError =
            if let urlError = error as? URLError {
                HTTPClientError(
                    kind: Self.kind(of: urlError), origin: entry.origin,
                    detail: urlError.localizedDescription)
            } else {
                HTTPClientError(kind: .other, origin: entry.origin, detail: "\(type(of: error))")
            }
        entry.head?.resume(throwing: failure)
        entry.body.finish(throwing: failure)
    }

    /// FoundationNetworking reports an untrusted certificate as a generic error carrying
    /// libcurl's text ("SSL certificate problem: …"), so that text decides too.
    private static func kind(of error: URLError) -> HTTPClientError.Kind {
        let kind = HTTPClient.kind(of: error)
        guard kind == .other else { return kind }
        let text = error.localizedDescription
        return text.contains("SSL") || text.contains("certificate") ? .tls : kind
    }

    /// Follows a redirect only within the same origin, so a bearer token never leaves it.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        let from = HTTPClient.origin(of: task.originalRequest?.url)
        completionHandler(from == HTTPClient.origin(of: request.url) ? request : nil)
    }
}
