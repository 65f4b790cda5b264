import Foundation
import JSONWebToken
import MicroHTTP
import RelayCrypto

/// `POST /register` (RFC 7591) for native public clients with loopback redirect URIs.
struct RegistrationEndpoint {
    static let supportedGrantTypes = ["authorization_code", "refresh_token", TokenEndpoint.deviceGrantType]

    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "POST" else { return OAuthError(405, "invalid_request", "use POST").response }
        do throws(OAuthError) {
            guard let metadata = JSONValue.parseObject(request.body) else {
                throw metadataError("the body must be a JSON object")
            }
            return try register(metadata)
        } catch {
            return error.response
        }
    }

    private func register(_ metadata: [String: JSONValue]) throws(OAuthError) -> HTTPResponse {
        let redirectURIs = try strings(metadata, "redirect_uris") ?? []
        guard !redirectURIs.isEmpty, redirectURIs.allSatisfy(LoopbackRedirect.isValid) else {
            throw OAuthError(400, "invalid_redirect_uri", "redirect_uris must be http loopback addresses")
        }
        let method = try string(metadata, "token_endpoint_auth_method") ?? "none"
        guard method == "none" else {
            throw metadataError("only public clients are supported: token_endpoint_auth_method must be none")
        }
        let grantTypes = try strings(metadata, "grant_types") ?? ["authorization_code", "refresh_token"]
        guard grantTypes.allSatisfy(Self.supportedGrantTypes.contains) else {
            throw metadataError("grant_types may only contain \(Self.supportedGrantTypes.joined(separator: ", "))")
        }
        let responseTypes = try strings(metadata, "response_types") ?? ["code"]
        guard responseTypes == ["code"] else { throw metadataError("response_types must be [\"code\"]") }
        let scope = try string(metadata, "scope")
        if let scope {
            do { _ = try context.grantedScopes(for: scope) } catch { throw metadataError(error.description) }
        }
        let name = try string(metadata, "client_name")

        let clientID: String
        do { clientID = "dyn-" + (try SecureRandom.token(byteCount: 16)) } catch {
            throw OAuthError(500, "server_error", "could not create a client id")
        }
        context.clients.register(DevClient(id: clientID, redirectURIs: redirectURIs, name: name))
        var body: [String: Any] = [
            "client_id": clientID, "client_id_issued_at": Int(Date().timeIntervalSince1970),
            "redirect_uris": redirectURIs, "token_endpoint_auth_method": "none",
            "grant_types": grantTypes, "response_types": responseTypes,
        ]
        body["client_name"] = name
        body["scope"] = scope
        return .json(201, body)
    }

    private func metadataError(_ description: String) -> OAuthError {
        OAuthError(400, "invalid_client_metadata", description)
    }

    private func string(_ metadata: [String: JSONValue], _ name: String) throws(OAuthError) -> String? {
        guard let value = metadata[name] else { return nil }
        guard let text = value.stringValue else { throw metadataError("\(name) must be a string") }
        return text
    }

    private func strings(_ metadata: [String: JSONValue], _ name: String) throws(OAuthError) -> [String]? {
        guard let value = metadata[name] else { return nil }
        guard case .array(let list) = value else { throw metadataError("\(name) must be a list of strings") }
        let texts = list.compactMap(\.stringValue)
        guard texts.count == list.count else { throw metadataError("\(name) must be a list of strings") }
        return texts
    }
}
