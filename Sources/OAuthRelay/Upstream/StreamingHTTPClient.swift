import CurlHTTP
import FoundationEssentials

/// The head of an HTTP response whose body arrives as a stream of chunks.
struct StreamingResponse: Sendable {
    var status: Int
    /// Header fields with lower-cased names.
    var headers: [String: String]
    /// The body, chunk by chunk as the network delivers it. Stopping iteration cancels the request.
    var body: AsyncThrowingStream<Data, any Error>
    /// `scheme://host:port` of the request, for messages.
    var origin: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The whole body, for JSON answers and errors.
    /// - Parameter truncating: stop reading at `limit` and keep what came (an error page shown in
    ///   part) instead of failing.
    /// - Throws: `HTTPClientError(.tooLarge)` for a body over `limit`, unless truncating.
    func collect(limit: Int = HTTPClient.maxBodyBytes, truncating: Bool = false) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            guard data.count + chunk.count <= limit else {
                if truncating {
                    data.append(chunk.prefix(limit - data.count))
                    break
                }
                throw HTTPClientError(kind: .tooLarge, origin: origin, detail: "more than \(limit >> 20) MiB")
            }
            data.append(chunk)
        }
        return data
    }
}

/// Requests whose responses are handed out as soon as their head arrives, with the body
/// streamed chunk by chunk as libcurl receives it: what SSE needs. Same connection pool,
/// timeouts and same-origin redirects as `HTTPClient`.
final class StreamingHTTPClient: Sendable {
    let timeout: TimeInterval
    /// A PEM bundle of certificate authorities trusted in addition to the system store.
    let caFile: String?

    init(timeout: TimeInterval, caFile: String? = nil) {
        self.timeout = timeout
        self.caFile = caFile
    }

    /// Sends a request and returns once the response head arrives.
    /// - Parameter timeout: the idle timeout for this request; the client's default when nil.
    /// - Throws: `HTTPClientError` when no response head arrives (unreachable, TLS, timeout,
    ///   cancelled); the body stream throws `HTTPClientError` too.
    func open(_ request: OutgoingRequest, timeout: TimeInterval? = nil) async throws -> StreamingResponse {
        var request = request
        let origin = HTTPClient.origin(of: request.url)
        for _ in 0...HTTPClient.maxRedirects {
            let curlRequest = HTTPClient.curlRequest(
                request, timeout: timeout ?? self.timeout, caFile: caFile, maxBodyBytes: nil)
            let response: CurlStreamingResponse
            do {
                response = try await CurlEngine.shared.open(curlRequest) { HTTPClientError($0, origin: origin) }
            } catch {
                throw HTTPClientError(error, origin: origin)
            }
            let head = response.head
            if let next = HTTPClient.redirect(of: request, status: head.status, location: head.headers["location"]) {
                request = next  // dropping the body stream cancels the redirect's transfer
                continue
            }
            return StreamingResponse(status: head.status, headers: head.headers, body: response.body, origin: origin)
        }
        throw HTTPClientError(kind: .other, origin: origin, detail: "too many redirects")
    }
}
