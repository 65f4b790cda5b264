import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A response as a real client saw it.
struct Fetched: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends one request with a real URLSession (libcurl on Linux) and reads the whole answer.
func fetch(
    _ url: String, method: String = "GET", body: Data? = nil, headers: [String: String] = [:],
    streamed: Bool = false
) async throws -> Fetched {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 20
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = method
    if streamed, let body {
        // No Content-Length: the body goes out chunked, so only the server's running count can stop it.
        request.httpBodyStream = InputStream(data: body)
    } else {
        request.httpBody = body
    }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await session.data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    var fields: [String: String] = [:]
    for case let (name as String, value as String) in http.allHeaderFields { fields[name.lowercased()] = value }
    return Fetched(status: http.statusCode, headers: fields, body: data)
}
