import Foundation

/// The registered claims of an OAuth access token in JWT form (RFC 7519 §4.1, RFC 9068 §2.2).
///
/// Times are whole seconds since 1970 (NumericDate). `audience` is always a list here; a single
/// string `aud` in a token is read as a one-element list.
public struct JWTClaims: Sendable, Equatable {
    public var issuer: String?
    public var subject: String?
    public var audience: [String]
    public var expiresAt: Int?
    public var notBefore: Int?
    public var issuedAt: Int?
    public var jwtID: String?
    /// Space-separated scopes (RFC 8693 §4.2).
    public var scope: String?
    /// The OAuth client the token was issued to (RFC 8693 §4.3).
    public var clientID: String?

    public init(
        issuer: String? = nil, subject: String? = nil, audience: [String] = [],
        expiresAt: Int? = nil, notBefore: Int? = nil, issuedAt: Int? = nil,
        jwtID: String? = nil, scope: String? = nil, clientID: String? = nil
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.jwtID = jwtID
        self.scope = scope
        self.clientID = clientID
    }

    /// The scopes as a set (empty when there is no `scope` claim).
    public var scopes: Set<String> {
        Set((scope ?? "").split(separator: " ").map(String.init))
    }

    /// The claims as a JSON object. A single audience is written as a string, several as a list.
    func jsonObject() -> [String: Any] {
        var object: [String: Any] = [:]
        object["iss"] = issuer
        object["sub"] = subject
        if audience.count == 1 {
            object["aud"] = audience[0]
        } else if !audience.isEmpty {
            object["aud"] = audience
        }
        object["exp"] = expiresAt
        object["nbf"] = notBefore
        object["iat"] = issuedAt
        object["jti"] = jwtID
        object["scope"] = scope
        object["client_id"] = clientID
        return object
    }

    /// Reads claims from a decoded payload, refusing any registered claim of the wrong type.
    init(jsonObject object: [String: JSONValue]) throws(JWTError) {
        issuer = try Self.string(object, "iss")
        subject = try Self.string(object, "sub")
        jwtID = try Self.string(object, "jti")
        scope = try Self.string(object, "scope")
        clientID = try Self.string(object, "client_id")
        expiresAt = try Self.numericDate(object, "exp")
        notBefore = try Self.numericDate(object, "nbf")
        issuedAt = try Self.numericDate(object, "iat")
        switch object["aud"] {
        case nil: audience = []
        case .string(let single): audience = [single]
        case .array(let list):
            let strings = list.compactMap(\.stringValue)
            guard strings.count == list.count else { throw JWTError(.malformed) }
            audience = strings
        default: throw JWTError(.malformed)
        }
    }

    private static func string(_ object: [String: JSONValue], _ name: String) throws(JWTError) -> String? {
        guard let value = object[name] else { return nil }
        guard case .string(let text) = value else { throw JWTError(.malformed) }
        return text
    }

    /// A NumericDate: a JSON number (never a boolean or string); a fraction is dropped.
    private static func numericDate(_ object: [String: JSONValue], _ name: String) throws(JWTError) -> Int? {
        guard let value = object[name] else { return nil }
        guard case .number(let seconds) = value, seconds.isFinite, abs(seconds) < 1e15 else {
            throw JWTError(.malformed)
        }
        return Int(seconds.rounded(.down))
    }
}
