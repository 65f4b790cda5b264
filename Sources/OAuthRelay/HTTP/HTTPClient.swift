import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
    enum Kind: Sendable { case unreachable, timedOut, tls, cancelled, other }
    let kind: Kind
    let origin: String
    let detail: String

    var description: String {
        switch kind {
        case .unreachable: "cannot connect to \(origin) (\(detail))"
        case .timedOut: "\(origin) did not answer in time"
        case .tls: "the TLS connection to \(origin) failed (\(detail)); check the server's certificate"
        case .cancelled: "the request to \(origin) was cancelled"
        case .other: "the request to \(origin) failed (\(detail))"
        }
    }
}

/// A small wrapper over URLSession with one connection pool, a timeout on every request, and a
/// redirect policy that never carries credentials to another origin.
final class HTTPClient: Sendable {
    private let session: URLSession
    let timeout: TimeInterval

    init(timeout: TimeInterval) {
        self.timeout = timeout
        session = URLSession(
            configuration: .relay(timeout: timeout), delegate: SameOriginRedirects(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    func send(_ request: URLRequest) async throws -> HTTPClientResponse {
        var request = request
        request.timeoutInterval = timeout
        let origin = Self.origin(of: request.url)
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw HTTPClientError(kind: .other, origin: origin, detail: "not an HTTP response")
            }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String {
                    headers[name.lowercased()] = value
                }
            }
            return HTTPClientResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as HTTPClientError {
            throw error
        } catch let error as URLError {
            throw HTTPClientError(
                kind: Self.kind(of: error), origin: origin,
                detail: error.localizedDescription)
        } catch is CancellationError {
            throw HTTPClientError(kind: .cancelled, origin: origin, detail: "cancelled")
        } catch {
            throw HTTPClientError(kind: .other, origin: origin, detail: "\(type(of: error))")
        }
    }

    static func kind(of error: URLError) -> HTTPClientError.Kind {
        switch error.code {
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet,
            .dnsLookupFailed:
            .unreachable
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            .tls
        default: .other
        }
    }

    /// `scheme://host:port` of a URL: safe to show, since it carries no path or query.
    static func origin(of url: URL?) -> String {
        guard let url, let scheme = url.scheme, let host = url.host else { return "(no URL)" }
        let port = url.port.map { ":\($0)" } ?? ""
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)\(port)"
    }
}

/// Follows a redirect only within the same origin, so an Authorization header or a form with a
/// code never reaches a host it was not meant for.
private final class SameOriginRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        let from = HTTPClient.origin(of: task.originalRequest?.url)
        let to = HTTPClient.origin(of: request.url)
        completionHandler(from == to ? request : nil)
    }
}

extension URLSessionConfiguration {
    /// The relay's connection pools: no cache, no cookies, a timeout on every request, and
    /// enough connections per host for many calls in flight.
    static func relay(timeout: TimeInterval) -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return configuration
    }
}
