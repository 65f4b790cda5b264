import DevServer
import Foundation
import RelayCrypto
import Testing

/// A running dev server with a known secret, plus helpers that walk the OAuth flows.
struct DevServerFixture {
    static let secret = Array("test-secret-that-is-at-least-32-bytes-long".utf8)
    static let client = "oauth-relay"
    static let redirectURI = "http://127.0.0.1:43210/callback"

    let server: DevServer
    let http = TestHTTPClient()

    init(_ configure: (inout DevServerConfiguration) -> Void = { _ in }) throws {
        var configuration = DevServerConfiguration()
        configuration.jwtSecret = Self.secret
        configuration.testControls = true
        configure(&configuration)
        server = try DevServer(configuration)
    }

    var base: String { server.baseURL }

    /// A PKCE pair (RFC 7636 §4.1–4.2).
    static func pkce() throws -> (verifier: String, challenge: String) {
        let verifier = try SecureRandom.token(byteCount: 32)
        return (verifier, Base64URL.encode(Digest.sha256(verifier)))
    }

    func authorizeURL(
        challenge: String, state: String = "state-1", extra: [(String, String)] = [],
        client: String = client, redirectURI: String = redirectURI
    ) -> String {
        var components = URLComponents(string: base + "/authorize")
        components?.queryItems =
            ([
                ("response_type", "code"), ("client_id", client), ("redirect_uri", redirectURI),
                ("code_challenge", challenge), ("code_challenge_method", "S256"), ("state", state),
            ] + extra).map { URLQueryItem(name: $0.0, value: $0.1) }
        let query = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = query
        return components?.string ?? ""
    }

    /// Runs the code flow with automatic consent as `user` and returns the token response.
    func signIn(as user: String = "alice", scope: String? = nil, resource: String? = nil) async throws
        -> [String: Any]
    {
        _ = try await http.post(base + "/_test/consent?decision=approve&user=\(user)", form: [])
        let (verifier, challenge) = try Self.pkce()
        let extra = (scope.map { [("scope", $0)] } ?? []) + (resource.map { [("resource", $0)] } ?? [])
        let authorize = try await http.get(authorizeURL(challenge: challenge, extra: extra))
        let code = try #require(authorize.redirectParameters["code"])
        let token = try await exchange(code: code, verifier: verifier)
        #expect(token.status == 200)
        return token.json
    }

    func exchange(
        code: String, verifier: String, redirectURI: String = redirectURI,
        client: String = client
    ) async throws -> TestResponse {
        try await http.post(
            base + "/token",
            form: [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                ("code_verifier", verifier), ("client_id", client),
            ])
    }

    func refresh(_ token: String, scope: String? = nil) async throws -> TestResponse {
        var form = [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", Self.client)]
        if let scope { form.append(("scope", scope)) }
        return try await http.post(base + "/token", form: form)
    }

    /// Calls a backend tool, with a bearer token when one is given.
    func callTool(_ name: String, token: String? = nil, arguments: String = "{}") async throws -> TestResponse {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await http.postJSON(base + "/mcp/tools/\(name)", "{\"arguments\":\(arguments)}", headers: headers)
    }
}
