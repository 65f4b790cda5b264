import Foundation
import JSONWebToken
import Testing

@Suite("Example backend: tools, bearer tokens and scopes")
struct BackendTests {
    @Test("tools are listed without a token, and health answers")
    func listing() async throws {
        let fixture = try DevServerFixture()
        let tools = try await fixture.http.get(fixture.base + "/mcp/tools")
        let names = (tools.json["tools"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["echo", "whoami", "read_notes", "create_note"])
        #expect(try await fixture.http.get(fixture.base + "/health").status == 200)
    }

    @Test("echo needs no token but refuses an invalid one")
    func echo() async throws {
        let fixture = try DevServerFixture()
        let anonymous = try await fixture.callTool("echo", arguments: #"{"message":"hi"}"#)
        let content = anonymous.json["content"] as? [[String: Any]]
        #expect(content?.first?["text"] as? String == "hi")
        let invalid = try await fixture.callTool("echo", token: "garbage", arguments: #"{"message":"hi"}"#)
        #expect(invalid.status == 401 && invalid.error == "invalid_token")
    }

    func token(
        _ fixture: DevServerFixture, issuer: String? = nil, audience: String? = nil,
        expiresIn: Int = 300, notBefore: Int? = nil, secret: [UInt8] = DevServerFixture.secret,
        scope: String = "notes:read"
    ) throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        let claims = JWTClaims(
            issuer: issuer ?? fixture.server.issuer, subject: "alice",
            audience: [audience ?? fixture.server.resource], expiresAt: now + expiresIn,
            notBefore: notBefore.map { now + $0 }, issuedAt: now, jwtID: UUID().uuidString,
            scope: scope, clientID: "oauth-relay")
        return try HS256Signer(secret: secret).sign(claims)
    }

    @Test("the RFC 6750 answer for each kind of bad or missing token")
    func tokenTable() async throws {
        let fixture = try DevServerFixture()
        let url = fixture.base + "/mcp/tools/whoami"
        func call(_ authorization: String?) async throws -> TestResponse {
            try await fixture.http.request("POST", url, headers: authorization.map { ["Authorization": $0] } ?? [:])
        }
        for header in [nil, "Basic YWxpY2U6c2VjcmV0"] {
            let response = try await call(header)
            #expect(response.status == 401)
            let challenge = try #require(response.header("WWW-Authenticate"))
            #expect(challenge.hasPrefix("Bearer "))
            #expect(!challenge.contains("error="))
            #expect(challenge.contains("resource_metadata=\"\(fixture.base)/.well-known/oauth-protected-resource\""))
        }
        let bad = [
            "not-a-jwt",
            try token(fixture, expiresIn: -300),
            try token(fixture, issuer: "http://127.0.0.1:1"),
            try token(fixture, audience: "http://127.0.0.1:1"),
            try token(fixture, notBefore: 600),
            try token(fixture, secret: Array("the-wrong-secret-but-long-enough-anyway".utf8)),
            try JWTVerifierTests.forged(header: #"{"alg":"none"}"#),
            try JWTVerifierTests.forged(header: #"{"alg":"NONE"}"#),
        ]
        for token in bad {
            let response = try await call("Bearer \(token)")
            #expect(response.status == 401)
            #expect(response.error == "invalid_token")
            #expect(response.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
        }
        #expect(try await call("Bearer \(try token(fixture))").status == 200)
        #expect(try await call("bearer \(try token(fixture))").status == 200, "the scheme is case-insensitive")
    }

    @Test("aud as a list containing the resource is accepted")
    func audienceArray() async throws {
        let fixture = try DevServerFixture()
        let now = Int(Date().timeIntervalSince1970)
        let claims = JWTClaims(
            issuer: fixture.server.issuer, subject: "alice",
            audience: ["https://other.test", fixture.server.resource], expiresAt: now + 60)
        let token = try HS256Signer(secret: DevServerFixture.secret).sign(claims)
        #expect(try await fixture.callTool("whoami", token: token).status == 200)
    }

    @Test("scopes: read_notes needs notes:read, create_note needs notes:write (403 names it)")
    func scopes() async throws {
        let fixture = try DevServerFixture()
        let readOnly = try #require(try await fixture.signIn(scope: "notes:read")["access_token"] as? String)
        #expect(try await fixture.callTool("read_notes", token: readOnly).status == 200)
        let denied = try await fixture.callTool("create_note", token: readOnly, arguments: #"{"text":"x"}"#)
        #expect(denied.status == 403 && denied.error == "insufficient_scope")
        #expect(denied.header("WWW-Authenticate")?.contains(#"scope="notes:write""#) == true)
        #expect(try await fixture.callTool("read_notes").status == 401)
        #expect(try await fixture.callTool("nonexistent", token: readOnly).error == "tool_not_found")
    }

    @Test("notes are kept per user")
    func perUserNotes() async throws {
        let fixture = try DevServerFixture()
        let alice = try #require(try await fixture.signIn(as: "alice")["access_token"] as? String)
        let bob = try #require(try await fixture.signIn(as: "bob")["access_token"] as? String)
        #expect(try await fixture.callTool("create_note", token: alice, arguments: #"{"text":"milk"}"#).status == 200)
        #expect(try await fixture.callTool("read_notes", token: alice).text.contains("milk"))
        #expect(!(try await fixture.callTool("read_notes", token: bob).text.contains("milk")))
        #expect(try await fixture.callTool("whoami", token: bob).text.contains("bob"))
    }

    @Test("protected resource metadata names the authorization server (RFC 9728)")
    func resourceMetadata() async throws {
        let fixture = try DevServerFixture()
        let response = try await fixture.http.get(fixture.base + "/.well-known/oauth-protected-resource")
        #expect(response.json["resource"] as? String == fixture.server.resource)
        #expect(response.json["authorization_servers"] as? [String] == [fixture.server.issuer])
    }
}
