import FoundationEssentials

/// The JSON document both file backends store: every entry of one store in one object.
///
/// `{"clients":{ISSUER:{…}},"format":1,"tokens":{STORAGE_ID:{"client_id":…,"issuer":…,
/// "resource":…,"tokens":{"access_token":…}}}}`
struct StoreDocument: Codable, Sendable {
    static let currentFormat = 1

    struct Entry: Codable, Sendable {
        var issuer: String
        var clientID: String
        var resource: String
        var tokens: TokenSet

        enum CodingKeys: String, CodingKey {
            case issuer
            case clientID = "client_id"
            case resource, tokens
        }

        var key: TokenKey { TokenKey(issuer: issuer, clientID: clientID, resource: resource) }
    }

    var format: Int = currentFormat
    var tokens: [String: Entry] = [:]
    var clients: [String: ClientRegistration] = [:]

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeIfPresent(Int.self, forKey: .format) ?? Self.currentFormat
        tokens = try container.decodeIfPresent([String: Entry].self, forKey: .tokens) ?? [:]
        clients = try container.decodeIfPresent([String: ClientRegistration].self, forKey: .clients) ?? [:]
    }

    var isEmpty: Bool { tokens.isEmpty && clients.isEmpty }
}
