import CurlHTTP
import FoundationEssentials

/// One HTTP response, body fully read.
struct HTTPClientResponse: Sendable {
    var status: Int
    /// Header fields with lower-cased names.
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why an HTTP request got no response. Messages name the URL's origin, never a query string.
struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable { case unreachable, timedOut, tls, cancelled, tooLarge, other }
    let kind: Kind
    let origin: String
    let detail: String

    /// A TLS handshake answered with something that is not TLS: a plain HTTP server behind an
    /// https:// URL (OpenSSL's "wrong version number" or "packet length too long").
    var isPlainHTTPAnswer: Bool {
        kind == .tls && (detail.contains("wrong version number") || detail.contains("packet length too long"))
    }

    var description: String {
        switch kind {
        case .unreachable: "cannot connect to \(origin) (\(detail))"
        case .timedOut: "\(origin) did not answer in time"
        case .tls where isPlainHTTPAnswer:
            "\(origin) does not speak TLS (\(detail)); if it serves plain HTTP, use an http:// URL"
        case .tls: "the TLS connection to \(origin) failed (\(detail)); check the server's certificate"
        case .cancelled: "the request to \(origin) was cancelled"
        case .tooLarge: "the response from \(origin) is too large (\(detail)); the relay refuses it"
        case .other: "the request to \(origin) failed (\(detail))"
        }
    }
}

/// Sends requests over libcurl (one process-wide connection pool, see `CurlEngine`) with an idle
/// timeout on every request, a cap on the body, and a redirect policy that never carries
/// credentials to another origin.
final class HTTPClient: Sendable {
    /// The largest response body read into memory.
    static let maxBodyBytes = 16 << 20

    let timeout: TimeInterval
    /// A PEM bundle of certificate authorities trusted in addition to the system store.
    let caFile: String?
    let maxBodyBytes: Int

    init(timeout: TimeInterval, caFile: String? = nil, maxBodyBytes: Int = HTTPClient.maxBodyBytes) {
        self.timeout = timeout
        self.caFile = caFile
        self.maxBodyBytes = maxBodyBytes
    }

    func send(_ request: OutgoingRequest) async throws -> HTTPClientResponse {
        var request = request
        let origin = Self.origin(of: request.url)
        for _ in 0...Self.maxRedirects {
            let curlRequest = Self.curlRequest(
                request, timeout: timeout, caFile: caFile, maxBodyBytes: maxBodyBytes)
            let response: (head: CurlResponseHead, body: Data)
            do {
                response = try await CurlEngine.shared.fetch(curlRequest)
            } catch {
                throw HTTPClientError(error, origin: origin)
            }
            let head = response.head
            if let next = Self.redirect(of: request, status: head.status, location: head.headers["location"]) {
                request = next
                continue
            }
            return HTTPClientResponse(status: head.status, headers: head.headers, body: response.body)
        }
        throw HTTPClientError(kind: .other, origin: origin, detail: "too many redirects")
    }

    /// `scheme://host:port` of a URL: safe to show, since it carries no path or query.
    static func origin(of url: URL?) -> String {
        guard let url, let scheme = url.scheme, let host = url.host else { return "(no URL)" }
        let port = url.port.map { ":\($0)" } ?? ""
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)\(port)"
    }
}
