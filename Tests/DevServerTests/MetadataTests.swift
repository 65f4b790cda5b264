import DevServer
import Foundation
import Testing

@Suite("Authorization server metadata (RFC 8414) and its variants")
struct MetadataTests {
    @Test("the standard document advertises every endpoint and S256 only")
    func standard() async throws {
        let fixture = try DevServerFixture()
        let document = try await fixture.http.get(fixture.base + "/.well-known/oauth-authorization-server").json
        #expect(document["issuer"] as? String == fixture.base)
        for field in [
            "authorization_endpoint", "token_endpoint", "revocation_endpoint", "registration_endpoint",
            "device_authorization_endpoint",
        ] {
            #expect((document[field] as? String)?.hasPrefix(fixture.base) == true, "\(field)")
        }
        #expect(document["code_challenge_methods_supported"] as? [String] == ["S256"])
        #expect(document["response_types_supported"] as? [String] == ["code"])
        #expect(document["token_endpoint_auth_methods_supported"] as? [String] == ["none"])
        #expect(document["authorization_response_iss_parameter_supported"] as? Bool == true)
        #expect(document["scopes_supported"] as? [String] == ["notes:read", "notes:write"])
    }

    @Test(
        "an issuer with a path is served at all three RFC 8414 §3.1 locations",
        arguments: [
            "/.well-known/oauth-authorization-server/tenant-a",
            "/.well-known/openid-configuration/tenant-a", "/tenant-a/.well-known/openid-configuration",
        ])
    func issuerPath(path: String) async throws {
        let fixture = try DevServerFixture { $0.issuerPath = "/tenant-a" }
        let response = try await fixture.http.get(fixture.base + path)
        #expect(response.status == 200)
        #expect(response.json["issuer"] as? String == fixture.base + "/tenant-a")
        #expect(try await fixture.http.get(fixture.base + "/.well-known/oauth-authorization-server").status == 404)
    }

    @Test("variants change the document as documented, and can be switched at run time")
    func variants() async throws {
        let fixture = try DevServerFixture()
        let url = fixture.base + "/.well-known/oauth-authorization-server"
        func switchTo(_ variant: MetadataVariant) async throws {
            #expect(
                try await fixture.http.post(
                    fixture.base + "/_test/metadata?variant=\(variant.rawValue)",
                    form: []
                ).status == 200)
        }
        try await switchTo(.plainOnly)
        #expect(try await fixture.http.get(url).json["code_challenge_methods_supported"] as? [String] == ["plain"])
        try await switchTo(.noCodeChallengeMethods)
        #expect(try await fixture.http.get(url).json["code_challenge_methods_supported"] == nil)
        try await switchTo(.emptyScopes)
        #expect(try await fixture.http.get(url).json["scopes_supported"] as? [String] == [])
        try await switchTo(.wrongIssuer)
        #expect(try await fixture.http.get(url).json["issuer"] as? String != fixture.base)
        try await switchTo(.htmlMetadata)
        #expect(try await fixture.http.get(url).header("Content-Type")?.hasPrefix("text/html") == true)
        try await switchTo(.oidcOnly)
        #expect(try await fixture.http.get(url).status == 404)
        #expect(try await fixture.http.get(fixture.base + "/.well-known/openid-configuration").status == 200)
        try await switchTo(.expiresInString)
        #expect(try await fixture.signIn()["expires_in"] as? String == "3600")
        try await switchTo(.noExpiresIn)
        #expect(try await fixture.signIn()["expires_in"] == nil)
        try await switchTo(.noRefreshToken)
        #expect(try await fixture.signIn()["refresh_token"] == nil)
    }

    @Test("the resource parameter must name the backend byte for byte and becomes aud (RFC 8707)")
    func resourceIndicator() async throws {
        let fixture = try DevServerFixture { $0.resource = "https://api.example.test" }
        _ = try await fixture.http.post(fixture.base + "/_test/consent?decision=approve&user=alice", form: [])
        let (verifier, challenge) = try DevServerFixture.pkce()
        let trailing = try await fixture.http.get(
            fixture.authorizeURL(challenge: challenge, extra: [("resource", "https://api.example.test/")]))
        #expect(trailing.redirectParameters["error"] == "invalid_target")
        let exact = try await fixture.http.get(
            fixture.authorizeURL(challenge: challenge, extra: [("resource", "https://api.example.test")]))
        let code = try #require(exact.redirectParameters["code"])
        let token = try await fixture.exchange(code: code, verifier: verifier)
        let access = try #require(token.json["access_token"] as? String)
        let payload = try #require(access.split(separator: ".").dropFirst().first)
        #expect(
            String(decoding: Data(base64URL: String(payload)), as: UTF8.self)
                .contains(#""aud":"https://api.example.test""#))
    }
}

extension Data {
    init(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self = Data(base64Encoded: base64) ?? Data()
    }
}
