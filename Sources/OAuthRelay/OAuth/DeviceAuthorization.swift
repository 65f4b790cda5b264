import FoundationEssentials

/// The device authorization grant (RFC 8628): ask for a user code, show it, poll for tokens.
struct DeviceAuthorization: Sendable {
    let http: HTTPClient
    let context: AuthorizationContext

    /// The device authorization response (RFC 8628 §3.2). `deviceCode` is a secret: never shown.
    struct Started: Sendable {
        var deviceCode: String
        var userCode: String
        var verificationURI: String
        var verificationURIComplete: String?
        var expiresIn: TimeInterval
        var interval: TimeInterval
    }

    /// Called before each wait with the seconds about to be waited (for progress and tests).
    typealias Waiting = @Sendable (_ interval: TimeInterval) -> Void

    /// Requests a device and user code (RFC 8628 §3.1).
    /// - Throws: `OAuthError(.unsupportedServer)` when the server offers no device grant.
    func start(scope: String?) async throws -> Started {
        guard let endpoint = context.metadata.deviceAuthorizationEndpoint else {
            throw OAuthError(
                .unsupportedServer,
                "the authorization server does not offer the device authorization grant (no "
                    + "device_authorization_endpoint); use oauth-relay login --no-browser instead")
        }
        var form: [(name: String, value: String)] = [("client_id", context.clientID)]
        if let scope, !scope.isEmpty { form.append(("scope", scope)) }
        if let resource = context.resource { form.append(("resource", resource)) }
        let response: HTTPClientResponse
        do {
            response = try await http.postForm(endpoint, form)
        } catch let error as HTTPClientError {
            throw OAuthError(.network, "the device authorization request failed: \(error)")
        }
        guard response.status == 200 else { throw TokenEndpoint.failure(response) }
        guard let object = try? JSONValue(parsing: response.body),
            let deviceCode = object["device_code"]?.stringValue, !deviceCode.isEmpty,
            let userCode = object["user_code"]?.stringValue, !userCode.isEmpty,
            let verification = object["verification_uri"]?.stringValue, !verification.isEmpty
        else {
            throw OAuthError(
                .tokenEndpoint,
                "the device authorization response lacks device_code, user_code "
                    + "or verification_uri")
        }
        return Started(
            deviceCode: deviceCode, userCode: userCode, verificationURI: verification,
            verificationURIComplete: object["verification_uri_complete"]?.stringValue,
            expiresIn: Self.codeLifetime(object["expires_in"]), interval: Self.pollInterval(object["interval"]))
    }

    /// The polling interval (RFC 8628 §3.2): default 5 seconds, kept within 1 second (a hostile
    /// or careless server must not make the relay poll in a tight loop) and 5 minutes.
    static func pollInterval(_ value: JSONValue?) -> TimeInterval {
        min(max(TokenResponse.expiresIn(value) ?? 5, 1), 300)
    }

    /// How long the device code lives: default 10 minutes, at most one day, so the countdown and
    /// the polling deadline stay sane whatever the server says.
    static func codeLifetime(_ value: JSONValue?) -> TimeInterval {
        min(TokenResponse.expiresIn(value) ?? 600, 86_400)
    }

    /// Polls the token endpoint until the user decides or the code expires (RFC 8628 §3.4–3.5):
    /// every `interval` seconds; `slow_down` adds 5 seconds to the interval for good.
    /// - Throws: `OAuthError(.denied)` for access_denied, `OAuthError(.timedOut)` for
    ///   expired_token or a code that outlived `expires_in`, other token endpoint errors as such.
    func poll(_ started: Started, scope: String?, waiting: Waiting = { _ in }) async throws -> TokenSet {
        let endpoint = TokenEndpoint(
            http: http, metadata: context.metadata, clientID: context.clientID, resource: context.resource)
        let deadline = Date().addingTimeInterval(started.expiresIn)
        var interval = started.interval
        while true {
            // A server that never says expired_token still ends here, one interval after expiry.
            guard Date() < deadline.addingTimeInterval(interval) else { throw Self.expired }
            waiting(interval)
            try await Task.sleep(for: .seconds(interval))
            let response = try await endpoint.pollDevice(deviceCode: started.deviceCode)
            if response.status == 200 {
                return try TokenResponse.parse(response.body, requestedScope: scope)
            }
            let error = TokenResponse.error(in: response.body)
            switch error?.code {
            case "authorization_pending":
                continue
            case "slow_down":
                interval += 5
            case "access_denied":
                let detail = error?.description.map { " (\($0))" } ?? ""
                throw OAuthError(.denied, "authorization denied: the request was declined\(detail)")
            case "expired_token":
                throw Self.expired
            default:
                throw TokenEndpoint.failure(response)
            }
        }
    }

    static let expired = OAuthError(
        .timedOut, "the code expired before the sign-in was approved; run oauth-relay login --device again")
}
