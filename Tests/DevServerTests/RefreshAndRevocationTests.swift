import Foundation
import Testing

@Suite("Refresh tokens, revocation and registration")
struct RefreshAndRevocationTests {
    @Test("refresh rotates the refresh token; reusing the old one revokes the whole grant")
    func rotationAndReuse() async throws {
        let fixture = try DevServerFixture()
        let tokens = try await fixture.signIn()
        let firstRefresh = try #require(tokens["refresh_token"] as? String)

        let rotated = try await fixture.refresh(firstRefresh)
        #expect(rotated.status == 200)
        let secondRefresh = try #require(rotated.json["refresh_token"] as? String)
        let secondAccess = try #require(rotated.json["access_token"] as? String)
        #expect(secondRefresh != firstRefresh)
        #expect(try await fixture.callTool("whoami", token: secondAccess).status == 200)

        let reuse = try await fixture.refresh(firstRefresh)
        #expect(reuse.error == "invalid_grant")
        #expect(try await fixture.refresh(secondRefresh).error == "invalid_grant", "the grant is revoked")
        #expect(try await fixture.callTool("whoami", token: secondAccess).status == 401)
    }

    @Test("refresh can narrow scope but never widen it")
    func scopeRules() async throws {
        let fixture = try DevServerFixture()
        let tokens = try await fixture.signIn(scope: "notes:read")
        let refresh = try #require(tokens["refresh_token"] as? String)
        let widened = try await fixture.refresh(refresh, scope: "notes:read notes:write")
        #expect(widened.error == "invalid_scope")
        let same = try await fixture.refresh(refresh, scope: "notes:read")
        #expect(same.status == 200, "a refused widening does not spend the refresh token")
    }

    @Test("revoking a refresh token ends its grant; unknown tokens still get 200 (RFC 7009)")
    func revoke() async throws {
        let fixture = try DevServerFixture()
        let tokens = try await fixture.signIn()
        let refresh = try #require(tokens["refresh_token"] as? String)
        let access = try #require(tokens["access_token"] as? String)
        let revoked = try await fixture.http.post(
            fixture.base + "/revoke",
            form: [
                ("token", refresh), ("token_type_hint", "refresh_token"), ("client_id", "oauth-relay"),
            ])
        #expect(revoked.status == 200)
        #expect(try await fixture.refresh(refresh).error == "invalid_grant")
        #expect(try await fixture.callTool("whoami", token: access).status == 401)
        let unknown = try await fixture.http.post(fixture.base + "/revoke", form: [("token", "nothing")])
        #expect(unknown.status == 200)
    }

    @Test("revoking an access token makes the backend refuse it")
    func revokeAccessToken() async throws {
        let fixture = try DevServerFixture()
        let access = try #require(try await fixture.signIn()["access_token"] as? String)
        _ = try await fixture.http.post(fixture.base + "/revoke", form: [("token", access)])
        let response = try await fixture.callTool("whoami", token: access)
        #expect(response.status == 401 && response.error == "invalid_token")
    }

    @Test("dynamic registration accepts native public clients with loopback redirects")
    func register() async throws {
        let fixture = try DevServerFixture { $0.autoApproveUser = "carol" }
        let response = try await fixture.http.postJSON(
            fixture.base + "/register",
            """
            {"redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"none","client_name":"t"}
            """)
        #expect(response.status == 201)
        let client = try #require(response.json["client_id"] as? String)
        #expect(response.json["token_endpoint_auth_method"] as? String == "none")

        let (verifier, challenge) = try DevServerFixture.pkce()
        let redirect = "http://127.0.0.1:40001/cb"
        let authorize = try await fixture.http.get(
            fixture.authorizeURL(challenge: challenge, client: client, redirectURI: redirect))
        let code = try #require(authorize.redirectParameters["code"])
        let token = try await fixture.exchange(code: code, verifier: verifier, redirectURI: redirect, client: client)
        #expect(token.status == 200)
    }

    @Test(
        "registration refuses confidential clients, non-loopback redirects and broken JSON",
        arguments: [
            (
                #"{"redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"client_secret_basic"}"#,
                "invalid_client_metadata"
            ),
            (#"{"redirect_uris":["https://example.test/cb"]}"#, "invalid_redirect_uri"),
            (#"{"redirect_uris":[]}"#, "invalid_redirect_uri"),
            (#"{"redirect_uris":"#, "invalid_client_metadata"),
        ])
    func registerErrors(body: String, error: String) async throws {
        let fixture = try DevServerFixture()
        let response = try await fixture.http.postJSON(fixture.base + "/register", body)
        #expect(response.status == 400)
        #expect(response.error == error)
    }
}
