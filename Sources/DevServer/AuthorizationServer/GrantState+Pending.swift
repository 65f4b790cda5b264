import Foundation
import RelayCrypto

/// Authorization requests waiting on the consent page.
extension GrantState {
    /// How long a consent page stays usable.
    static let pendingLifetime: TimeInterval = 600

    /// Stores a request and returns its unguessable, single-use id (the form's CSRF guard).
    mutating func addPending(_ request: AuthorizationRequest) throws -> String {
        let now = Date()
        pendingRequests = pendingRequests.filter { $0.value.expiresAt > now }
        let id = try SecureRandom.token()
        pendingRequests[id] = (request, now + Self.pendingLifetime)
        return id
    }

    /// Removes and returns a pending request; nil when unknown, used or expired.
    mutating func takePending(_ id: String) -> AuthorizationRequest? {
        guard let pending = pendingRequests.removeValue(forKey: id), pending.expiresAt > Date() else {
            return nil
        }
        return pending.request
    }
}
