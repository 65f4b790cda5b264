import FoundationEssentials

/// A client registered dynamically (RFC 7591) with one authorization server, kept next to the
/// tokens so a relay registers once per issuer.
///
/// `description` never shows the client secret.
public struct ClientRegistration: Codable, Sendable, Equatable, CustomStringConvertible {
    public var issuer: String
    public var clientID: String
    /// Present only for confidential registrations; most native clients have none.
    public var clientSecret: String?
    public var redirectURIs: [String]
    public var registeredAt: Date

    public init(
        issuer: String, clientID: String, clientSecret: String? = nil,
        redirectURIs: [String], registeredAt: Date = Date()
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURIs = redirectURIs
        self.registeredAt = registeredAt
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case redirectURIs = "redirect_uris"
        case registeredAt = "registered_at"
    }

    public var description: String {
        "ClientRegistration(issuer: \(issuer), client_id: \(clientID), client_secret: "
            + "\(clientSecret == nil ? "none" : "***"), redirect_uris: \(redirectURIs))"
    }
}
