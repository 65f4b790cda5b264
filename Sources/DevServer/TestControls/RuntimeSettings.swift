import Foundation
import Synchronization

/// What `/authorize` does when a browser arrives.
enum ConsentMode: Sendable, Equatable {
    /// Show the sign-in and consent page.
    case page
    /// Approve at once as this user.
    case approve(String)
    /// Deny at once.
    case deny
}

/// What the authorization response says in `iss` (RFC 9207), so tests can play a mix-up attack.
enum IssuerParameterMode: String, Sendable, Equatable, CaseIterable {
    case normal, wrong, missing
}

/// Settings tests may change while the server runs, through `/_test/…`.
final class RuntimeSettings: Sendable {
    struct Values: Sendable {
        var metadataVariant: MetadataVariant
        var consent: ConsentMode
        var accessTokenLifetime: TimeInterval
        var issuerParameter: IssuerParameterMode = .normal
        /// Random bytes added to each access token's `jti`, to make very long tokens (CASES 13).
        var tokenPaddingBytes = 0
        /// Endpoint name → (status to answer, how many more requests fail).
        var failures: [String: (status: Int, remaining: Int)] = [:]
        /// Endpoint name → the OAuth `error` code injected failures carry (e.g. invalid_client).
        var failureErrors: [String: String] = [:]
    }

    private let values: Mutex<Values>

    init(_ configuration: DevServerConfiguration) {
        values = Mutex(
            Values(
                metadataVariant: configuration.metadataVariant,
                consent: configuration.autoApproveUser.map { .approve($0) } ?? .page,
                accessTokenLifetime: configuration.accessTokenLifetime))
    }

    var current: Values { values.withLock { $0 } }

    func update(_ change: (inout Values) -> Void) {
        values.withLock { change(&$0) }
    }

    /// The status an injected failure asks for, consuming one of its remaining requests.
    func takeFailure(for endpoint: String) -> Int? {
        values.withLock { values in
            guard let failure = values.failures[endpoint], failure.remaining > 0 else { return nil }
            values.failures[endpoint] = failure.remaining > 1 ? (failure.status, failure.remaining - 1) : nil
            return failure.status
        }
    }
}
