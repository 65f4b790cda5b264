import Foundation

/// A validated `/authorize` request waiting for the user's decision, or turned into a code.
struct AuthorizationRequest: Sendable {
    var clientID: String
    var redirectURI: String
    var scopes: [String]
    var resource: String
    var state: String?
    var codeChallenge: String
}

/// An authorization code and what it stands for.
struct IssuedCode: Sendable {
    var request: AuthorizationRequest
    var user: String
    var expiresAt: Date
    /// Set once redeemed; a second redemption revokes this grant (RFC 6749 §4.1.2).
    var grantID: String?
}

/// Everything issued from one user approval: access and refresh tokens share its fate.
struct Grant: Sendable {
    var id: String
    var user: String
    var clientID: String
    var scopes: [String]
    var resource: String
    var revoked = false
}

/// One refresh token. Rotated tokens are kept so reuse can be detected (RFC 9700 §4.14.2).
struct RefreshRecord: Sendable {
    var grantID: String
    var expiresAt: Date
    var rotated = false
}

/// A device authorization (RFC 8628) from request to redemption.
struct DeviceAuthorization: Sendable {
    enum Status: Sendable, Equatable {
        case pending
        case approved(user: String)
        case denied
        case redeemed
    }

    var userCode: String
    var clientID: String
    var scopes: [String]
    var resource: String
    var expiresAt: Date
    var interval: Int
    var lastPoll: Date?
    var status: Status = .pending
}
