import MicroHTTP

/// The parameters of an OAuth request, from the query or a form body, with RFC 6749 §3.1's rule
/// that no parameter may appear twice.
struct RequestParameters: Sendable {
    private(set) var pairs: [(name: String, value: String)]

    init(_ pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// The query string's parameters.
    static func query(of request: HTTPRequest) -> RequestParameters {
        RequestParameters(request.query)
    }

    /// The form body's parameters.
    /// - Throws: `invalid_request` when the body is not `application/x-www-form-urlencoded`.
    static func form(of request: HTTPRequest) throws(OAuthError) -> RequestParameters {
        if let type = request.header("Content-Type")?.lowercased(),
            !type.hasPrefix("application/x-www-form-urlencoded")
        {
            throw .invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        guard let pairs = request.formValues() else {
            throw .invalidRequest("the form body is malformed")
        }
        return RequestParameters(pairs)
    }

    /// The query and the form body together; test controls accept either.
    static func queryAndForm(of request: HTTPRequest) -> RequestParameters {
        RequestParameters(request.query + (request.formValues() ?? []))
    }

    /// The value of a parameter that must appear at most once; empty values count as absent.
    func optional(_ name: String) throws(OAuthError) -> String? {
        let values = pairs.filter { $0.name == name }.map(\.value)
        guard values.count <= 1 else { throw .invalidRequest("\(name) appears more than once") }
        guard let value = values.first, !value.isEmpty else { return nil }
        return value
    }

    /// The value of a required parameter.
    func required(_ name: String) throws(OAuthError) -> String {
        guard let value = try optional(name) else { throw .invalidRequest("\(name) is missing") }
        return value
    }

    /// The first value without the uniqueness rule, for places where a duplicate is harmless.
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }
}
