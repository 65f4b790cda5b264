import Foundation
import RelayCrypto

/// Device authorization bookkeeping (RFC 8628).
extension GrantState {
    /// Letters without vowels or look-alikes, as RFC 8628 §6.1 suggests.
    static let userCodeAlphabet = Array("BCDFGHJKLMNPQRSTVWXZ")

    mutating func startDeviceAuthorization(
        clientID: String, scopes: [String], resource: String, lifetime: TimeInterval, interval: Int
    ) throws -> (deviceCode: String, userCode: String) {
        let deviceCode = try SecureRandom.token()
        var userCode: String
        repeat {
            let letters = try SecureRandom.bytes(8).map {
                Self.userCodeAlphabet[Int($0) % Self.userCodeAlphabet.count]
            }
            userCode = String(letters.prefix(4)) + "-" + String(letters.suffix(4))
        } while userCodes[Self.normalise(userCode)] != nil
        deviceCodes[deviceCode] = DeviceAuthorization(
            userCode: userCode, clientID: clientID, scopes: scopes, resource: resource,
            expiresAt: Date() + lifetime, interval: interval)
        userCodes[Self.normalise(userCode)] = deviceCode
        return (deviceCode, userCode)
    }

    /// Upper case without separators, so `bcdf-ghjk` and `BCDFGHJK` name the same code.
    static func normalise(_ userCode: String) -> String {
        String(userCode.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The pending authorization a user code names, if any.
    func pendingDevice(userCode: String) -> (deviceCode: String, authorization: DeviceAuthorization)? {
        guard let deviceCode = userCodes[Self.normalise(userCode)],
            let authorization = deviceCodes[deviceCode], authorization.status == .pending,
            authorization.expiresAt > Date()
        else { return nil }
        return (deviceCode, authorization)
    }

    mutating func decideDevice(_ deviceCode: String, status: DeviceAuthorization.Status) {
        deviceCodes[deviceCode]?.status = status
    }

    /// One poll of the token endpoint at `now`, with RFC 8628 §3.5's rules. Returns the approved
    /// authorization and its user when tokens may be issued.
    mutating func pollDevice(_ deviceCode: String, clientID: String, autoConsent: ConsentMode, now: Date = Date())
        throws(OAuthError) -> (authorization: DeviceAuthorization, user: String)
    {
        guard var authorization = deviceCodes[deviceCode], authorization.clientID == clientID else {
            throw .invalidGrant("the device code is unknown")
        }
        guard authorization.expiresAt > now else {
            throw OAuthError(400, "expired_token", "the device code has expired; start again")
        }
        defer { deviceCodes[deviceCode] = authorization }
        if let last = authorization.lastPoll, now.timeIntervalSince(last) < Double(authorization.interval) {
            authorization.lastPoll = now
            authorization.interval += 5
            throw OAuthError(400, "slow_down", "polling too fast; wait \(authorization.interval) seconds")
        }
        authorization.lastPoll = now
        switch authorization.status {
        case .approved(let user):
            authorization.status = .redeemed
            return (authorization, user)
        case .denied:
            throw OAuthError(400, "access_denied", "the user denied the request")
        case .redeemed:
            throw .invalidGrant("the device code was already used")
        case .pending:
            // Automatic consent decides after the first poll, so clients see the pending state.
            switch autoConsent {
            case .approve(let user): authorization.status = .approved(user: user)
            case .deny: authorization.status = .denied
            case .page: break
            }
            throw OAuthError(400, "authorization_pending", "the user has not decided yet")
        }
    }
}
