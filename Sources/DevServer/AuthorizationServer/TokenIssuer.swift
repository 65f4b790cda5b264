import Foundation
import JSONWebToken
import RelayCrypto

/// Mints access tokens (HS256 JWTs, RFC 9068) and refresh tokens, and shapes token responses.
struct TokenIssuer {
    let context: DevServerContext

    /// Issues an access token for `scopes` of `grant`, plus a fresh refresh token in the same
    /// grant, and returns the token response body.
    func issue(for grant: Grant, scopes: [String]) throws -> [String: Any] {
        let settings = context.settings.current
        let now = Int(Date().timeIntervalSince1970)
        let lifetime = Int(settings.accessTokenLifetime)
        let jwtID = try SecureRandom.token(byteCount: 16 + settings.tokenPaddingBytes)
        let claims = JWTClaims(
            issuer: context.issuer, subject: grant.user, audience: [grant.resource],
            expiresAt: now + lifetime, issuedAt: now, jwtID: jwtID,
            scope: scopes.joined(separator: " "), clientID: grant.clientID)
        let accessToken = try context.signer.sign(claims, type: "at+jwt")
        let refreshToken = try context.grants.withLock { state -> String in
            state.accessTokens[jwtID] = grant.id
            return try state.issueRefreshToken(
                grantID: grant.id, lifetime: context.configuration.refreshTokenLifetime)
        }

        var body: [String: Any] = [
            "access_token": accessToken, "token_type": "Bearer", "scope": scopes.joined(separator: " "),
            "expires_in": lifetime, "refresh_token": refreshToken,
        ]
        switch settings.metadataVariant {
        case .expiresInString: body["expires_in"] = String(lifetime)
        case .noExpiresIn: body["expires_in"] = nil
        case .noRefreshToken: body["refresh_token"] = nil
        default: break
        }
        return body
    }
}
