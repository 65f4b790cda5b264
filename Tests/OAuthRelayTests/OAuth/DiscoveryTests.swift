import Foundation
import Testing

@testable import OAuthRelay

@Suite("Discovery: where metadata is looked for")
struct DiscoveryTests {
    @Test(
        "metadata URLs for each kind of issuer, in order",
        arguments: [
            (
                "https://login.example.test",
                [
                    "https://login.example.test/.well-known/oauth-authorization-server",
                    "https://login.example.test/.well-known/openid-configuration",
                ]
            ),
            (
                "https://login.example.test/",
                [
                    "https://login.example.test/.well-known/oauth-authorization-server",
                    "https://login.example.test/.well-known/openid-configuration",
                ]
            ),
            (
                "https://login.example.test/tenant-a",
                [
                    "https://login.example.test/.well-known/oauth-authorization-server/tenant-a",
                    "https://login.example.test/.well-known/openid-configuration/tenant-a",
                    "https://login.example.test/tenant-a/.well-known/openid-configuration",
                ]
            ),
            (
                "https://login.example.test/tenant-a/",
                [
                    "https://login.example.test/.well-known/oauth-authorization-server/tenant-a",
                    "https://login.example.test/.well-known/openid-configuration/tenant-a",
                    "https://login.example.test/tenant-a/.well-known/openid-configuration",
                ]
            ),
            (
                "https://login.example.test/realms/a/b",
                [
                    "https://login.example.test/.well-known/oauth-authorization-server/realms/a/b",
                    "https://login.example.test/.well-known/openid-configuration/realms/a/b",
                    "https://login.example.test/realms/a/b/.well-known/openid-configuration",
                ]
            ),
            (
                "http://127.0.0.1:8080",
                [
                    "http://127.0.0.1:8080/.well-known/oauth-authorization-server",
                    "http://127.0.0.1:8080/.well-known/openid-configuration",
                ]
            ),
        ])
    func metadataURLs(issuer: String, expected: [String]) throws {
        let urls = Discovery.metadataURLs(for: try #require(URL(string: issuer)))
        #expect(urls.map(\.absoluteString) == expected)
    }
}

@Suite("AuthorizationServerMetadata")
struct AuthorizationServerMetadataTests {
    @Test("a complete document is read field by field")
    func complete() throws {
        let parsed = try metadata([
            "registration_endpoint": "https://as.example.test/register",
            "scopes_supported": [],
            "authorization_response_iss_parameter_supported": true,
        ])
        #expect(parsed.issuer == "https://as.example.test")
        #expect(parsed.authorizationEndpoint.absoluteString == "https://as.example.test/authorize")
        #expect(parsed.tokenEndpoint.absoluteString == "https://as.example.test/token")
        #expect(parsed.registrationEndpoint?.absoluteString == "https://as.example.test/register")
        #expect(parsed.revocationEndpoint == nil)
        #expect(parsed.scopesSupported == [])
        #expect(parsed.codeChallengeMethodsSupported == ["S256"])
        #expect(parsed.issParameterSupported)
    }

    @Test(
        "endpoints that are not https (or http on loopback) are refused",
        arguments: [
            "file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "ftp://as.example.test/a",
            "http://as.example.test/authorize", "http://127.0.0.1.evil.test/authorize",
            "http://127.evil.test/authorize", "http://localhost.evil.test/authorize", "not a url", "/authorize",
        ])
    func hostileEndpoints(endpoint: String) {
        for field in ["authorization_endpoint", "token_endpoint", "registration_endpoint"] {
            let error = #expect(throws: OAuthError.self) { try metadata([field: endpoint]) }
            #expect(error?.code == .discovery)
            #expect(error?.message.contains(field) == true)
        }
    }

    @Test(
        "http is allowed on loopback hosts",
        arguments: [
            "http://127.0.0.1:9000/authorize", "http://localhost:9000/authorize", "http://[::1]:9000/authorize",
            "HTTPS://AS.EXAMPLE.TEST/authorize",
        ])
    func loopbackHTTP(endpoint: String) throws {
        #expect(try metadata(["authorization_endpoint": endpoint]).authorizationEndpoint.absoluteString == endpoint)
    }

    @Test(
        "a missing or non-string required field is named in the error",
        arguments: [
            "issuer", "authorization_endpoint", "token_endpoint",
        ])
    func missingField(field: String) {
        for value: Any? in [nil, 42, ["https://as.example.test/x"]] {
            let error = #expect(throws: OAuthError.self) { try metadata([field: value]) }
            #expect(error?.code == .discovery)
            #expect(error?.message.contains("has no \(field)") == true)
        }
    }

    @Test(
        "a body that is not a JSON object is reported as not metadata",
        arguments: [
            "<!doctype html><html><body>Sign in</body></html>", "[]", "\"issuer\"", "", "{\"issuer\":",
        ])
    func notMetadata(body: String) {
        let error = #expect(throws: OAuthError.self) {
            try AuthorizationServerMetadata(
                json: Data(body.utf8), from: URL(string: "https://as.example.test/.well-known/x")!)
        }
        #expect(error?.code == .discovery)
        #expect(error?.message.contains("is not authorization server metadata") == true)
        #expect(error?.message.contains("https://as.example.test/.well-known/x") == true)
    }

    @Test("PKCE support: absent methods proceed with a warning; S256 proceeds silently")
    func pkceAccepted() throws {
        let log = LogRecorder()
        try metadata(["code_challenge_methods_supported": nil]).checkPKCESupport(logger: log.logger)
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.contains("warning") == true)
        let quiet = LogRecorder()
        try metadata(["code_challenge_methods_supported": ["plain", "S256"]]).checkPKCESupport(logger: quiet.logger)
        #expect(quiet.lines.isEmpty)
    }

    @Test(
        "PKCE support: a list without S256 is refused before any browser opens",
        arguments: [
            ["plain"], [], ["s256"],
        ])
    func pkceRefused(methods: [String]) {
        let error = #expect(throws: OAuthError.self) {
            try metadata(["code_challenge_methods_supported": methods]).checkPKCESupport(logger: LogRecorder().logger)
        }
        #expect(error?.code == .unsupportedServer)
        #expect(error?.message.contains("S256") == true)
    }
}
