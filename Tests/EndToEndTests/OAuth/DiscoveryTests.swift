import DevServer
import Foundation
import Testing

@testable import OAuthRelay

/// Discovery and metadata policy against the dev server's metadata variants (issue 5, CASES 4, 7, 8).
@Suite("OAuth discovery, end to end", .serialized)
struct DiscoveryTests {
    @Test(
        "Metadata URLs are tried in the standard order for issuers with and without a path",
        arguments: [
            ("", "standard", ["/.well-known/oauth-authorization-server"]),
            ("", "oidcOnly", ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]),
            ("/tenant-a", "standard", ["/.well-known/oauth-authorization-server/tenant-a"]),
            (
                "/tenant-a", "oidcOnly",
                ["/.well-known/oauth-authorization-server/tenant-a", "/.well-known/openid-configuration/tenant-a"]
            ),
        ])
    func discoveryOrder(issuerPath: String, variant: String, expected: [String]) async throws {
        let bed = try TestBed { $0.issuerPath = issuerPath }
        try await bed.control("metadata?variant=\(variant)")
        let relay = try await bed.startRelay()
        let result = try await relay.callTool("whoami")
        #expect(result.toolText.contains("alice"), "\(result)")
        let probes = try await bed.allRequests().compactMap { $0["path"]?.stringValue }
            .filter { $0.contains(".well-known/o") }
        #expect(probes == expected)
        _ = try await relay.finish()
    }

    @Test(
        "Metadata the relay must refuse: a clear tool error, and no browser is opened",
        arguments: [
            ("plainOnly", "does not support PKCE S256"),
            ("wrongIssuer", "set RELAY_AUTH_SERVER_URL to the exact issuer"),
            ("htmlMetadata", "not authorization server metadata"),
        ])
    func refusedMetadata(variant: String, message: String) async throws {
        let bed = try TestBed()
        try await bed.control("metadata?variant=\(variant)")
        let relay = try await bed.startRelay()
        let result = try await relay.callTool("whoami")
        #expect(result.isToolError)
        #expect(result.toolText.contains(message), "\(result.toolText)")
        #expect(try await bed.count("GET /authorize") == 0)
        // The relay is still healthy.
        #expect(try await relay.callTool("echo", ["message": "ok"]).toolText == "ok")
        _ = try await relay.finish()
    }

    @Test("code_challenge_methods_supported absent: sign in with S256 and warn (CASES 7)")
    func missingChallengeMethodsWarns() async throws {
        let bed = try TestBed()
        try await bed.control("metadata?variant=noCodeChallengeMethods")
        let relay = try await bed.startRelay()
        let result = try await relay.callTool("whoami")
        #expect(result.toolText.contains("alice"))
        #expect(relay.stderr.contains("does not list code_challenge_methods_supported"))
        let authorize = try #require(try await bed.requests(to: "/authorize").first)
        #expect(authorize["params"]?["code_challenge_method"] == "S256")
        _ = try await relay.finish()
    }

    @Test("scopes_supported: [] and no scope configured: no scope parameter at all (CASES 4)")
    func noInventedScopes() async throws {
        let bed = try TestBed()
        try await bed.control("metadata?variant=emptyScopes")
        let relay = try await bed.startRelay()
        _ = try await relay.callTool("whoami")
        let authorize = try #require(try await bed.requests(to: "/authorize").first)
        #expect(authorize["params"]?["scope"] == nil)
        #expect(try await bed.tokenRequests(grantType: "authorization_code").first?["params"]?["scope"] == nil)
        _ = try await relay.finish()
    }

    @Test("Only RELAY_BACKEND_URL: the server is found from the backend's 401 (RFC 9728), the client registers")
    func backendOnlyConfiguration() async throws {
        let bed = try TestBed()
        let environment = ["RELAY_AUTH_SERVER_URL": "", "RELAY_CLIENT_ID": ""]
        let relay = try await bed.startRelay(environment)
        let result = try await relay.callTool("whoami")
        #expect(result.toolText.contains("alice"), "\(result)\n\(relay.stderr)")
        #expect(try await bed.count("POST /register") == 1)
        #expect(try await bed.count("GET /.well-known/oauth-protected-resource") >= 1)
        _ = try await relay.finish()

        // A second process reuses the stored registration and tokens, and sends the token on its
        // first call: no 401, so no discovery.
        let probes = try await bed.count("GET /.well-known/oauth-protected-resource")
        let again = try await bed.startRelay(environment)
        #expect(try await again.callTool("whoami").toolText.contains("alice"))
        #expect(try await bed.count("POST /register") == 1)
        #expect(try await bed.count("GET /.well-known/oauth-protected-resource") == probes)
        #expect(try await bed.count("GET /authorize") == 1)
        _ = try await again.finish()
    }
}
