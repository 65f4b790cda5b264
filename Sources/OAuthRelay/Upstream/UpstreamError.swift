/// Why the upstream MCP server could not answer a message. The message is meant for a person
/// and reaches the host as a JSON-RPC error.
struct UpstreamError: Error, Sendable, CustomStringConvertible {
    /// JSON-RPC code for errors of the relay's own (implementation-defined server error range).
    static let code: Int64 = -32000

    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// The request could not be sent or got no response head.
    static func transport(_ error: HTTPClientError) -> UpstreamError {
        switch error.kind {
        case .unreachable:
            UpstreamError("the MCP server is unreachable: \(error). Check RELAY_BACKEND_URL and that it is up.")
        case .timedOut:
            UpstreamError("the MCP server did not answer within RELAY_HTTP_TIMEOUT: \(error)")
        case .tls where error.isPlainHTTPAnswer:
            UpstreamError("the MCP server is unreachable over TLS: \(error)")
        case .tls:
            UpstreamError(
                "\(error). If the server uses a private certificate authority, set RELAY_CA_FILE "
                    + "to a PEM file with its certificate.")
        case .tooLarge:
            UpstreamError("the MCP server's answer is too large: \(error)")
        case .cancelled, .other:
            UpstreamError("the request to the MCP server failed: \(error)")
        }
    }

    /// An HTTP answer that is not an MCP message.
    static func status(_ status: Int, body: String, contentType: String?) -> UpstreamError {
        // A page of HTML says nothing readable in one line; JSON and text are quoted in part.
        let isHTML = contentType?.lowercased().contains("html") == true || body.hasPrefix("<")
        let detail =
            isHTML ? "an HTML page" : body.prefix(200).split(whereSeparator: \.isNewline).joined(separator: " ")
        let shown = detail.isEmpty ? "" : ": \(detail)"
        switch status {
        case 500...:
            return UpstreamError("the MCP server failed with HTTP \(status)\(shown); try again later")
        case 401, 403:
            return UpstreamError("the MCP server refused the account (HTTP \(status))\(shown)")
        case 404:
            return UpstreamError(
                "the MCP server answered HTTP 404 (not found)\(shown); check RELAY_BACKEND_URL, "
                    + "which must be the MCP endpoint itself, e.g. https://host/mcp")
        case 200..<300:
            return UpstreamError(
                "the MCP server answered \(contentType ?? "no content type"), "
                    + "not MCP (JSON or an event stream); check that RELAY_BACKEND_URL is the MCP endpoint")
        case 405, 406, 415:
            return UpstreamError(
                "the server answered HTTP \(status)\(shown); check that RELAY_BACKEND_URL is the MCP endpoint "
                    + "(for a REST backend, set RELAY_BACKEND_PROTOCOL=rest)")
        default:
            return UpstreamError("the MCP server answered HTTP \(status)\(shown)")
        }
    }
}
