import CurlHTTP
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension HTTPClient {
    /// Redirects followed per request, all within the first request's origin.
    static let maxRedirects = 10

    /// The request to send after a redirect answer, when it stays within the origin of `request`
    /// (so an Authorization header or a form with a code never reaches another host); nil when
    /// the answer is no redirect or leaves the origin, and the caller gets the 3xx itself.
    static func redirect(of request: URLRequest, status: Int, location: String?) -> URLRequest? {
        guard [301, 302, 303, 307, 308].contains(status), let location, let base = request.url,
            let target = URL(string: location, relativeTo: base)?.absoluteURL,
            origin(of: target) == origin(of: base)
        else { return nil }
        var next = request
        next.url = target
        let method = request.httpMethod?.uppercased() ?? "GET"
        if status == 303 || (status <= 302 && method == "POST") {
            next.httpMethod = method == "HEAD" ? "HEAD" : "GET"
            next.httpBody = nil
            next.setValue(nil, forHTTPHeaderField: "Content-Type")
        }
        return next
    }

    /// The libcurl form of a request.
    static func curlRequest(
        _ request: URLRequest, timeout: TimeInterval, caFile: String?, maxBodyBytes: Int?
    ) throws(HTTPClientError) -> CurlRequest {
        guard let url = request.url else {
            throw HTTPClientError(kind: .other, origin: "(no URL)", detail: "the request has no URL")
        }
        let headers = (request.allHTTPHeaderFields ?? [:]).sorted { $0.key < $1.key }
        return CurlRequest(
            url: url.absoluteString, method: request.httpMethod ?? "GET",
            headers: headers.map { (name: $0.key, value: $0.value) }, body: request.httpBody,
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
