import Foundation
import MicroHTTP

/// The `/_test/…` endpoints that let tests steer the server. Only routed when `testControls`
/// is on; otherwise every `/_test/` path is 404.
struct TestControlEndpoint {
    static let prefix = "/_test/"

    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let parameters = RequestParameters.queryAndForm(of: request)
        let name = String(request.path.dropFirst(Self.prefix.count))
        switch (request.method, name) {
        case ("GET", "requests"): return .json(200, ["requests": context.recorder.recordedJSON])
        case ("GET", "counts"): return .json(200, context.recorder.countsJSON)
        case ("POST", "reset"):
            context.recorder.reset()
            return ok()
        case ("POST", "revoke-user"): return revokeUser(parameters)
        case ("POST", "metadata"): return setVariant(parameters)
        case ("POST", "consent"): return setConsent(parameters)
        case ("POST", "token-lifetime"): return setLifetime(parameters)
        case ("POST", "fail"): return injectFailure(parameters)
        case ("POST", "iss"): return setIssuerParameter(parameters)
        case ("POST", "token-padding"): return setTokenPadding(parameters)
        case ("POST", "mcp-forget-sessions"): return ok(["forgotten": context.mcpSessions.forgetAll()])
        case ("POST", "forget-clients"): return ok(["forgotten": context.clients.forgetRegistered()])
        default:
            return .json(404, ["error": "not_found", "error_description": "unknown test control \(name)"])
        }
    }

    private func setIssuerParameter(_ parameters: RequestParameters) -> HTTPResponse {
        guard let mode = parameters["mode"].flatMap(IssuerParameterMode.init(rawValue:)) else {
            return bad("mode must be normal, wrong or missing")
        }
        context.settings.update { $0.issuerParameter = mode }
        return ok(["mode": mode.rawValue])
    }

    private func setTokenPadding(_ parameters: RequestParameters) -> HTTPResponse {
        guard let bytes = parameters["bytes"].flatMap(Int.init), (0...65536).contains(bytes) else {
            return bad("bytes must be a number from 0 to 65536")
        }
        context.settings.update { $0.tokenPaddingBytes = bytes }
        return ok(["bytes": bytes])
    }

    private func revokeUser(_ parameters: RequestParameters) -> HTTPResponse {
        guard let user = parameters["sub"], !user.isEmpty else { return bad("sub is required") }
        let now = Int(Date().timeIntervalSince1970)
        let grants = context.grants.withLock { $0.revokeUser(user, at: now) }
        return ok(["revoked_grants": grants])
    }

    private func setVariant(_ parameters: RequestParameters) -> HTTPResponse {
        guard let variant = parameters["variant"].flatMap(MetadataVariant.init(rawValue:)) else {
            let names = MetadataVariant.allCases.map(\.rawValue).joined(separator: ", ")
            return bad("variant must be one of \(names)")
        }
        context.settings.update { $0.metadataVariant = variant }
        return ok(["variant": variant.rawValue])
    }

    private func setConsent(_ parameters: RequestParameters) -> HTTPResponse {
        let consent: ConsentMode
        switch parameters["decision"] {
        case "approve":
            let user = parameters["user"] ?? "demo"
            guard UserName.isValid(user) else { return bad("user must be 1–64 printable characters") }
            consent = .approve(user)
        case "deny": consent = .deny
        case "page": consent = .page
        default: return bad("decision must be approve, deny or page")
        }
        context.settings.update { $0.consent = consent }
        return ok()
    }

    private func setLifetime(_ parameters: RequestParameters) -> HTTPResponse {
        guard let seconds = parameters["seconds"].flatMap(Int.init), seconds >= 0 else {
            return bad("seconds must be a whole number ≥ 0")
        }
        context.settings.update { $0.accessTokenLifetime = TimeInterval(seconds) }
        return ok(["seconds": seconds])
    }

    private func injectFailure(_ parameters: RequestParameters) -> HTTPResponse {
        guard let endpoint = parameters["endpoint"], !endpoint.isEmpty else { return bad("endpoint is required") }
        let status = parameters["status"].flatMap(Int.init) ?? 500
        let count = parameters["count"].flatMap(Int.init) ?? 1
        guard (400...599).contains(status), count >= 0 else { return bad("status must be 4xx/5xx, count ≥ 0") }
        let error = parameters["error"].flatMap { $0.isEmpty ? nil : $0 }
        context.settings.update {
            $0.failures[endpoint] = count > 0 ? (status, count) : nil
            $0.failureErrors[endpoint] = error
        }
        return ok(["endpoint": endpoint, "status": status, "count": count])
    }

    private func ok(_ extra: [String: Any] = [:]) -> HTTPResponse {
        .json(200, extra.merging(["ok": true]) { current, _ in current })
    }

    private func bad(_ description: String) -> HTTPResponse {
        OAuthError.invalidRequest(description).response
    }
}
