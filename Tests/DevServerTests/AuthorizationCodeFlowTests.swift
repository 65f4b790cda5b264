import DevServer
import Foundation
import Testing

@Suite("Authorization code flow: /authorize, consent page and /token")
struct AuthorizationCodeFlowTests {
    @Test("the consent page is served and its Approve answer redirects with code, state and iss")
    func consentApprove() async throws {
        let fixture = try DevServerFixture()
        let (verifier, challenge) = try DevServerFixture.pkce()
        let page = try await fixture.http.get(fixture.authorizeURL(challenge: challenge))
        #expect(page.status == 200)
        #expect(page.text.contains(#"<form method="post" action="/authorize">"#))
        #expect(page.text.contains(#"name="decision" value="deny""#))
        let requestID = try #require(page.text.firstMatch(of: /name="request_id" value="([^"]+)"/)?.1)

        let decision = try await fixture.http.post(
            fixture.base + "/authorize",
            form: [
                ("request_id", String(requestID)), ("username", "bob"), ("decision", "approve"),
            ])
        #expect(decision.status == 302)
        let parameters = decision.redirectParameters
        #expect(parameters["state"] == "state-1")
        #expect(parameters["iss"] == fixture.server.issuer)
        let code = try #require(parameters["code"])

        let token = try await fixture.exchange(code: code, verifier: verifier)
        #expect(token.status == 200)
        #expect(token.json["token_type"] as? String == "Bearer")
        #expect(token.json["scope"] as? String == "notes:read notes:write")
        #expect(token.header("Cache-Control") == "no-store")

        let replay = try await fixture.http.post(
            fixture.base + "/authorize",
            form: [
                ("request_id", String(requestID)), ("username", "bob"), ("decision", "approve"),
            ])
        #expect(replay.status == 400, "a request_id is single-use")
    }

    @Test("Deny redirects with error=access_denied and the state")
    func consentDeny() async throws {
        let fixture = try DevServerFixture()
        let page = try await fixture.http.get(fixture.authorizeURL(challenge: try DevServerFixture.pkce().challenge))
        let requestID = try #require(page.text.firstMatch(of: /name="request_id" value="([^"]+)"/)?.1)
        let decision = try await fixture.http.post(
            fixture.base + "/authorize",
            form: [
                ("request_id", String(requestID)), ("username", "bob"), ("decision", "deny"),
            ])
        #expect(decision.redirectParameters["error"] == "access_denied")
        #expect(decision.redirectParameters["state"] == "state-1")
        #expect(decision.redirectParameters["code"] == nil)
    }

    @Test(
        "unknown client and bad redirect_uri are shown on a page, never redirected",
        arguments: [
            ("nobody", DevServerFixture.redirectURI), ("oauth-relay", "https://evil.test/cb"),
            ("oauth-relay", "http://192.168.1.2:8080/cb"), ("oauth-relay", "http://127.0.0.1:80/cb#x"),
        ])
    func pageErrors(client: String, redirectURI: String) async throws {
        let fixture = try DevServerFixture()
        let url = fixture.authorizeURL(
            challenge: try DevServerFixture.pkce().challenge, client: client,
            redirectURI: redirectURI)
        let response = try await fixture.http.get(url)
        #expect(response.status == 400)
        #expect(response.header("Location") == nil)
    }

    @Test(
        "any loopback port is accepted (RFC 8252 §7.3)",
        arguments: ["http://127.0.0.1:1/cb", "http://[::1]:65000/cb", "http://localhost:5555/x"])
    func loopbackPorts(redirectURI: String) async throws {
        let fixture = try DevServerFixture()
        let url = fixture.authorizeURL(challenge: try DevServerFixture.pkce().challenge, redirectURI: redirectURI)
        #expect(try await fixture.http.get(url).status == 200)
    }

    @Test(
        "missing or plain PKCE, bad response_type and unknown scope redirect with an error",
        arguments: [
            ([("code_challenge_method", "plain")], "invalid_request"),
            ([("response_type", "token")], "unsupported_response_type"),
            ([("scope", "admin")], "invalid_scope"),
            ([("resource", "http://elsewhere.test")], "invalid_target"),
        ])
    func redirectedErrors(override: [(String, String)], error: String) async throws {
        let fixture = try DevServerFixture()
        var components = try #require(
            URLComponents(
                string: fixture.authorizeURL(challenge: try DevServerFixture.pkce().challenge)))
        var items = components.queryItems ?? []
        for (name, value) in override {
            items.removeAll { $0.name == name }
            items.append(URLQueryItem(name: name, value: value))
        }
        components.queryItems = items
        let response = try await fixture.http.get(try #require(components.string))
        #expect(response.status == 302)
        #expect(response.redirectParameters["error"] == error)
        #expect(response.redirectParameters["state"] == "state-1")
    }

    @Test("a missing code_challenge is refused")
    func missingChallenge() async throws {
        let fixture = try DevServerFixture()
        let url =
            fixture.base + "/authorize?response_type=code&client_id=oauth-relay&redirect_uri="
            + "http%3A%2F%2F127.0.0.1%3A5000%2Fcb&state=s"
        let response = try await fixture.http.get(url)
        #expect(response.redirectParameters["error"] == "invalid_request")
    }

    @Test("PKCE mismatch, wrong redirect_uri and unknown client are refused at /token")
    func tokenErrors() async throws {
        let fixture = try DevServerFixture { $0.autoApproveUser = "alice" }
        func code() async throws -> (String, String) {
            let (verifier, challenge) = try DevServerFixture.pkce()
            let response = try await fixture.http.get(fixture.authorizeURL(challenge: challenge))
            return (try #require(response.redirectParameters["code"]), verifier)
        }
        let (first, _) = try await code()
        let mismatch = try await fixture.exchange(code: first, verifier: try DevServerFixture.pkce().verifier)
        #expect(mismatch.status == 400 && mismatch.error == "invalid_grant")

        let (second, verifier) = try await code()
        let wrongRedirect = try await fixture.exchange(
            code: second, verifier: verifier, redirectURI: "http://127.0.0.1:43211/callback")
        #expect(wrongRedirect.error == "invalid_grant")

        let (third, thirdVerifier) = try await code()
        let unknownClient = try await fixture.exchange(code: third, verifier: thirdVerifier, client: "nobody")
        #expect(unknownClient.status == 401 && unknownClient.error == "invalid_client")
    }

    @Test("a reused code is refused and revokes the tokens issued from it")
    func reusedCode() async throws {
        let fixture = try DevServerFixture { $0.autoApproveUser = "alice" }
        let (verifier, challenge) = try DevServerFixture.pkce()
        let response = try await fixture.http.get(fixture.authorizeURL(challenge: challenge))
        let code = try #require(response.redirectParameters["code"])
        let first = try await fixture.exchange(code: code, verifier: verifier)
        let accessToken = try #require(first.json["access_token"] as? String)
        #expect(try await fixture.callTool("whoami", token: accessToken).status == 200)

        let second = try await fixture.exchange(code: code, verifier: verifier)
        #expect(second.error == "invalid_grant")
        #expect(try await fixture.callTool("whoami", token: accessToken).status == 401)
    }

    @Test(
        "token errors are RFC 6749 §5.2 JSON",
        arguments: [
            [("grant_type", "password"), ("client_id", "oauth-relay")],
            [("client_id", "oauth-relay")],
            [
                ("grant_type", "authorization_code"), ("grant_type", "refresh_token"),
                ("client_id", "oauth-relay"),
            ],
        ])
    func tokenRequestErrors(form: [(String, String)]) async throws {
        let fixture = try DevServerFixture()
        let response = try await fixture.http.post(fixture.base + "/token", form: form)
        #expect(response.status == 400)
        #expect(["unsupported_grant_type", "invalid_request"].contains(response.error ?? ""))
        #expect(response.json["error_description"] is String)
    }
}
