import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP answer, with headers looked up case-insensitively and the body parsed as JSON.
struct TestResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var error: String? { json["error"] as? String }

    /// The query parameters of the `Location` header.
    var redirectParameters: [String: String] {
        guard let location = header("Location"), let components = URLComponents(string: location) else { return [:] }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        return parameters
    }
}

/// A URLSession client over real loopback HTTP that never follows redirects.
final class TestHTTPClient: Sendable {
    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    func request(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil)
        async throws -> TestResponse
    {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return TestResponse(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ url: String, headers: [String: String] = [:]) async throws -> TestResponse {
        try await request("GET", url, headers: headers)
    }

    func post(_ url: String, form: [(String, String)], headers: [String: String] = [:]) async throws -> TestResponse {
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/x-www-form-urlencoded"
        let body = form.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
        return try await request("POST", url, headers: allHeaders, body: Data(body.utf8))
    }

    func postJSON(_ url: String, _ text: String, headers: [String: String] = [:]) async throws -> TestResponse {
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json"
        return try await request("POST", url, headers: allHeaders, body: Data(text.utf8))
    }

    private func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Hands every redirect back to the test instead of following it.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
