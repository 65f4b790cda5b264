import Foundation
import MicroHTTP
import Testing

@testable import OAuthRelay

private func signIn(resource: String?, authorize: String = "https://as.example.test/authorize") throws -> SignIn {
    let context = AuthorizationContext(
        metadata: try metadata(["authorization_endpoint": authorize]), clientID: "client 1", resource: resource)
    return SignIn(
        configuration: try configuration(), context: context, http: HTTPClient(timeout: 5),
        logger: LogRecorder().logger)
}

private let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
private let redirect = "http://127.0.0.1:4321/callback"

/// The query of an authorize URL as decoded pairs.
private func parameters(_ url: URL) throws -> [(name: String, value: String)] {
    let query = try #require(url.query(percentEncoded: true))
    return try #require(FormEncoding.decode(query))
}

private func values(_ url: URL, _ name: String) throws -> [String] {
    try parameters(url).filter { $0.name == name }.map(\.value)
}

@Suite("SignIn.authorizeURL")
struct SignInTests {
    @Test("carries each authorization request parameter exactly once")
    func parametersOnce() throws {
        let url = try signIn(resource: "https://api.example.test")
            .authorizeURL(redirectURI: redirect, pkce: pkce, state: "st/ate+1", scope: "notes:read notes:write")
        #expect(url.absoluteString.hasPrefix("https://as.example.test/authorize?"))
        let expected = [
            "response_type": "code", "client_id": "client 1", "redirect_uri": redirect,
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256",
            "state": "st/ate+1", "scope": "notes:read notes:write", "resource": "https://api.example.test",
        ]
        let pairs = try parameters(url)
        #expect(pairs.count == expected.count)
        for (name, value) in expected {
            #expect(try values(url, name) == [value], "parameter \(name)")
        }
        #expect(!url.absoluteString.contains(pkce.verifier))
    }

    @Test("no scope parameter at all when the scope is nil or empty", arguments: [nil, ""] as [String?])
    func noScope(scope: String?) throws {
        let url = try signIn(resource: nil).authorizeURL(redirectURI: redirect, pkce: pkce, state: "s", scope: scope)
        #expect(try values(url, "scope").isEmpty)
        #expect(!url.absoluteString.contains("scope="))
    }

    @Test(
        "the resource goes out byte for byte, and is omitted when nil",
        arguments: [
            "https://api.example.test", "https://api.example.test/", "https://api.example.test/v1?x=1&y=%2F",
        ])
    func resource(resource: String) throws {
        let url = try signIn(resource: resource).authorizeURL(redirectURI: redirect, pkce: pkce, state: "s", scope: nil)
        #expect(try values(url, "resource") == [resource])
        let none = try signIn(resource: nil).authorizeURL(redirectURI: redirect, pkce: pkce, state: "s", scope: nil)
        #expect(try values(none, "resource").isEmpty)
    }

    @Test("a query already in the authorization endpoint is kept in front")
    func existingQuery() throws {
        let url = try signIn(resource: nil, authorize: "https://as.example.test/authorize?tenant=a%20b&p=1")
            .authorizeURL(redirectURI: redirect, pkce: pkce, state: "s", scope: nil)
        let pairs = try parameters(url)
        #expect(pairs.prefix(2).map { [$0.name, $0.value] } == [["tenant", "a b"], ["p", "1"]])
        #expect(try values(url, "response_type") == ["code"])
        #expect(url.path == "/authorize")
    }
}
