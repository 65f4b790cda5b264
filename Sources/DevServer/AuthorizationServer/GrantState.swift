import Foundation
import RelayCrypto

/// The authorization server's memory: pending requests, codes, grants, refresh tokens, device
/// authorizations and revocations. Held in one `Mutex` so every step is atomic.
struct GrantState: Sendable {
    var pendingRequests: [String: (request: AuthorizationRequest, expiresAt: Date)] = [:]
    var codes: [String: IssuedCode] = [:]
    var grants: [String: Grant] = [:]
    var refreshTokens: [String: RefreshRecord] = [:]
    /// jti → grant id for every access token issued, so revocation can reach them.
    var accessTokens: [String: String] = [:]
    var revokedAccessTokens: Set<String> = []
    /// Tokens of this user issued at or before this time are revoked (backend-only mode).
    var userRevokedAt: [String: Int] = [:]
    var deviceCodes: [String: DeviceAuthorization] = [:]
    /// user code (normalised) → device code.
    var userCodes: [String: String] = [:]

    // MARK: - Authorization codes

    mutating func issueCode(for request: AuthorizationRequest, user: String, lifetime: TimeInterval)
        throws -> String
    {
        let code = try SecureRandom.token()
        codes[code] = IssuedCode(request: request, user: user, expiresAt: Date() + lifetime)
        return code
    }

    /// Redeems a code once. A second attempt revokes everything issued from the first one.
    mutating func redeemCode(_ code: String, clientID: String) throws(OAuthError) -> IssuedCode {
        guard var issued = codes[code] else {
            throw .invalidGrant("the authorization code is unknown")
        }
        if let grantID = issued.grantID {
            revokeGrant(grantID)
            throw .invalidGrant("the authorization code was already used; its tokens are revoked")
        }
        guard issued.expiresAt > Date() else {
            codes[code] = nil
            throw .invalidGrant("the authorization code has expired")
        }
        guard issued.request.clientID == clientID else {
            throw .invalidGrant("the authorization code was issued to another client")
        }
        issued.grantID = ""  // marked used; the grant id is filled in by `attach`
        codes[code] = issued
        return issued
    }

    mutating func attach(code: String, to grantID: String) {
        codes[code]?.grantID = grantID
    }

    // MARK: - Grants and tokens

    mutating func createGrant(user: String, clientID: String, scopes: [String], resource: String)
        throws -> Grant
    {
        let grant = Grant(
            id: try SecureRandom.token(byteCount: 16), user: user, clientID: clientID,
            scopes: scopes, resource: resource)
        grants[grant.id] = grant
        return grant
    }

    mutating func issueRefreshToken(grantID: String, lifetime: TimeInterval) throws -> String {
        let token = try SecureRandom.token()
        refreshTokens[token] = RefreshRecord(grantID: grantID, expiresAt: Date() + lifetime)
        return token
    }

    /// Validates a refresh token and marks it rotated. Reuse of a rotated token revokes the grant.
    mutating func rotateRefreshToken(_ token: String, clientID: String) throws(OAuthError) -> Grant {
        guard let record = refreshTokens[token], let grant = grants[record.grantID] else {
            throw .invalidGrant("the refresh token is unknown")
        }
        guard grant.clientID == clientID else {
            throw .invalidGrant("the refresh token was issued to another client")
        }
        if record.rotated {
            revokeGrant(grant.id)
            throw .invalidGrant("the refresh token was already used; the whole grant is revoked")
        }
        guard !grant.revoked else { throw .invalidGrant("the refresh token has been revoked") }
        guard record.expiresAt > Date() else { throw .invalidGrant("the refresh token has expired") }
        refreshTokens[token]?.rotated = true
        return grant
    }

    mutating func revokeGrant(_ grantID: String) {
        guard grantID.isEmpty == false else { return }
        grants[grantID]?.revoked = true
    }

    /// Revokes a refresh token's grant; returns false when the token is unknown.
    mutating func revokeRefreshToken(_ token: String, clientID: String?) throws(OAuthError) -> Bool {
        guard let record = refreshTokens[token], let grant = grants[record.grantID] else { return false }
        if let clientID, clientID != grant.clientID {
            throw OAuthError(400, "unauthorized_client", "the token was issued to another client")
        }
        revokeGrant(grant.id)
        return true
    }

    mutating func revokeUser(_ user: String, at time: Int) -> Int {
        userRevokedAt[user] = time
        var count = 0
        for (id, grant) in grants where grant.user == user && !grant.revoked {
            grants[id]?.revoked = true
            count += 1
        }
        return count
    }

    /// True when an access token must no longer be accepted, whatever its expiry says.
    func isRevoked(jwtID: String?, subject: String?, issuedAt: Int?) -> Bool {
        if let jwtID, let grantID = accessTokens[jwtID] {
            return revokedAccessTokens.contains(jwtID) || grants[grantID]?.revoked ?? true
        }
        // A token this process did not issue (backend-only mode): fall back to the user's cut-off.
        if let subject, let cutoff = userRevokedAt[subject] {
            return (issuedAt ?? 0) <= cutoff
        }
        return false
    }
}
