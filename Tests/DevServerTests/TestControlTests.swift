import Foundation
import Testing

@Suite("Test controls")
struct TestControlTests {
    @Test("test controls are 404 unless enabled")
    func disabled() async throws {
        let fixture = try DevServerFixture { $0.testControls = false }
        #expect(try await fixture.http.get(fixture.base + "/_test/counts").status == 404)
    }

    @Test("revoke-user makes the backend refuse that user's unexpired tokens")
    func revokeUser() async throws {
        let fixture = try DevServerFixture()
        let access = try #require(try await fixture.signIn(as: "frank")["access_token"] as? String)
        #expect(try await fixture.http.post(fixture.base + "/_test/revoke-user?sub=frank", form: []).status == 200)
        let response = try await fixture.callTool("whoami", token: access)
        #expect(response.status == 401 && response.error == "invalid_token")
        let fresh = try #require(try await fixture.signIn(as: "frank")["access_token"] as? String)
        #expect(try await fixture.callTool("whoami", token: fresh).status == 200, "a new sign-in works at once")
    }

    @Test("requests are recorded without secrets, counted, and reset")
    func recording() async throws {
        let fixture = try DevServerFixture()
        _ = try await fixture.signIn(scope: "notes:read")
        let recorded = try await fixture.http.get(fixture.base + "/_test/requests")
        #expect(!recorded.text.contains("code_verifier") && !recorded.text.contains("\"code\":"))
        let requests = recorded.json["requests"] as? [[String: Any]] ?? []
        let authorize = try #require(requests.first { $0["path"] as? String == "/authorize" })
        let parameters = try #require(authorize["params"] as? [String: Any])
        #expect(parameters["scope"] as? String == "notes:read")
        #expect(parameters["state_present"] as? Bool == true)
        let counts = try await fixture.http.get(fixture.base + "/_test/counts").json
        #expect(counts["POST /token"] as? Int == 1)
        _ = try await fixture.http.post(fixture.base + "/_test/reset", form: [])
        #expect(try await fixture.http.get(fixture.base + "/_test/counts").json.isEmpty)
    }

    @Test("consent can be switched to deny at run time, and token lifetime changed")
    func consentAndLifetime() async throws {
        let fixture = try DevServerFixture()
        _ = try await fixture.http.post(fixture.base + "/_test/token-lifetime?seconds=42", form: [])
        #expect(try await fixture.signIn()["expires_in"] as? Int == 42)
        _ = try await fixture.http.post(fixture.base + "/_test/consent?decision=deny", form: [])
        let url = fixture.authorizeURL(challenge: try DevServerFixture.pkce().challenge)
        let response = try await fixture.http.get(url)
        #expect(response.redirectParameters["error"] == "access_denied")
    }

    @Test("injected failures hit the next N requests of an endpoint")
    func failures() async throws {
        let fixture = try DevServerFixture()
        _ = try await fixture.http.post(fixture.base + "/_test/fail?endpoint=health&status=503&count=2", form: [])
        #expect(try await fixture.http.get(fixture.base + "/health").status == 503)
        #expect(try await fixture.http.get(fixture.base + "/health").status == 503)
        #expect(try await fixture.http.get(fixture.base + "/health").status == 200)
    }
}
