import CurlHTTP
import FoundationEssentials

extension HTTPClient {
    /// Redirects followed per request, all within the first request's origin.
    static let maxRedirects = 10

    /// The request to send after a redirect answer, when it stays within the origin of `request`
    /// (so an Authorization header or a form with a code never reaches another host); nil when
    /// the answer is no redirect or leaves the origin, and the caller gets the 3xx itself.
    static func redirect(of request: OutgoingRequest, status: Int, location: String?) -> OutgoingRequest? {
        let base = request.url
        guard [301, 302, 303, 307, 308].contains(status), let location,
            let target = URL(string: location, relativeTo: base)?.absoluteURL,
            origin(of: target) == origin(of: base)
        else { return nil }
        var next = request
        next.url = target
        let method = request.method.uppercased()
        if status == 303 || (status <= 302 && method == "POST") {
            next.method = method == "HEAD" ? "HEAD" : "GET"
            next.body = nil
            next.setHeader("Content-Type", nil)
        }
        return next
    }

    /// The libcurl form of a request.
    static func curlRequest(
        _ request: OutgoingRequest, timeout: TimeInterval, caFile: String?, maxBodyBytes: Int?
    ) -> CurlRequest {
        CurlRequest(
            url: request.url.absoluteString, method: request.method, headers: request.headers, body: request.body,
            idleTimeout: timeout, caFile: caFile, maxBodyBytes: maxBodyBytes)
    }
}

extension HTTPClientError {
    /// The relay's view of a libcurl failure, naming only the origin.
    init(_ error: CurlError, origin: String) {
        let kind: Kind =
            switch error.kind {
            case .unreachable: .unreachable
            case .timedOut: .timedOut
            case .tls: .tls
            case .cancelled: .cancelled
            case .tooLarge: .tooLarge
            case .other: .other
            }
        self.init(kind: kind, origin: origin, detail: error.detail)
    }
}
