import MicroHTTP

/// `POST /device_authorization` (RFC 8628 §3.1–3.2).
struct DeviceAuthorizationEndpoint {
    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "POST" else { return OAuthError(405, "invalid_request", "use POST").response }
        do throws(OAuthError) {
            let parameters = try RequestParameters.form(of: request)
            let clientID = try parameters.required("client_id")
            _ = try context.knownClient(clientID)
            let scopes = try context.grantedScopes(for: try parameters.optional("scope"))
            let resource = try context.audience(for: try parameters.optional("resource"))
            let configuration = context.configuration
            let started: (deviceCode: String, userCode: String)
            do {
                started = try context.grants.withLock {
                    try $0.startDeviceAuthorization(
                        clientID: clientID, scopes: scopes, resource: resource,
                        lifetime: configuration.deviceCodeLifetime, interval: configuration.deviceInterval)
                }
            } catch {
                throw OAuthError(500, "server_error", "could not start the device authorization")
            }
            let verification = context.baseURL + "/device"
            return .json(
                200,
                [
                    "device_code": started.deviceCode, "user_code": started.userCode,
                    "verification_uri": verification,
                    "verification_uri_complete": verification + "?user_code=" + FormEncoding.escape(started.userCode),
                    "expires_in": Int(configuration.deviceCodeLifetime), "interval": configuration.deviceInterval,
                ])
        } catch {
            return error.response
        }
    }
}
