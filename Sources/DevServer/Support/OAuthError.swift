import MicroHTTP

/// An OAuth error answer: `{"error","error_description"}` (RFC 6749 §5.2 and its relatives).
struct OAuthError: Error, Sendable {
    var status: Int
    var code: String
    var description: String
    var headers: [(name: String, value: String)] = []

    init(_ status: Int, _ code: String, _ description: String) {
        self.status = status
        self.code = code
        self.description = description
    }

    static func invalidRequest(_ description: String) -> OAuthError {
        OAuthError(400, "invalid_request", description)
    }

    static func invalidGrant(_ description: String) -> OAuthError {
        OAuthError(400, "invalid_grant", description)
    }

    /// RFC 6749 §5.2: a public client that is unknown gets 401 `invalid_client`.
    static func invalidClient(_ description: String) -> OAuthError {
        OAuthError(401, "invalid_client", description)
    }

    var response: HTTPResponse {
        .json(status, ["error": code, "error_description": description], headers: headers)
    }
}
