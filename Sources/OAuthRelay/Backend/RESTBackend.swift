import FoundationEssentials
import MicroHTTP

/// The simple REST form of a backend: `GET /mcp/tools` and `POST /mcp/tools/{name}`.
struct RESTBackend: Sendable {
    let baseURL: URL
    let http: HTTPClient

    func listTools(token: TokenSet?) async throws -> HTTPClientResponse {
        try await send(path: "mcp/tools", method: "GET", body: nil, token: token)
    }

    func callTool(name: String, arguments: JSONValue, token: TokenSet?) async throws -> HTTPClientResponse {
        let body = Data(JSONValue.object(["arguments": arguments]).serialized())
        return try await send(
            path: "mcp/tools/" + FormEncoding.escape(name), method: "POST", body: body, token: token)
    }

    private func send(path: String, method: String, body: Data?, token: TokenSet?) async throws
        -> HTTPClientResponse
    {
        var text = baseURL.absoluteString
        if !text.hasSuffix("/") { text += "/" }
        guard let url = URL(string: text + path) else {
            throw RelayError("the backend URL \(baseURL.absoluteString) cannot be extended with /\(path)")
        }
        var request = OutgoingRequest(url: url)
        request.method = method
        request.setHeader("Accept", "application/json")
        if let body {
            request.body = body
            request.setHeader("Content-Type", "application/json")
        }
        if let token {
            request.setHeader("Authorization", "Bearer \(token.accessToken)")
        }
        do {
            return try await http.send(request)
        } catch let error as HTTPClientError {
            if error.kind == .cancelled { throw CancellationError() }
            throw RelayError(
                "the backend is unreachable: \(error). Check RELAY_BACKEND_URL and that the service is up.")
        }
    }
}

/// A failure shown to the host as a tool error; the message is meant for a person.
struct RelayError: Error, Sendable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
