/// One HTTP request as the server received it: method, path, decoded query, headers and body.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, as sent (percent-decoding is the handler's choice).
    public var path: String
    /// Query parameters in the order they appeared, percent-decoded, repeats kept.
    public var query: [(name: String, value: String)]
    /// Header fields in the order they appeared.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The peer's numeric address, e.g. `127.0.0.1`.
    public var remoteAddress: String?

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of a query parameter. More than one usually means a hostile request.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// The value of a query parameter that appears exactly once; nil when absent or repeated.
    public func queryValue(_ name: String) -> String? {
        let values = queryValues(name)
        return values.count == 1 ? values[0] : nil
    }

    /// The body parsed as `application/x-www-form-urlencoded`; nil when it is not valid.
    public func formValues() -> [(name: String, value: String)]? {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        return FormEncoding.decode(text)
    }
}
