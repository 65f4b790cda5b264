import Foundation
import Testing

@testable import OAuthRelay

@Suite("Upstream proxy: sign-in on 401 and step-up on 403 against the dev server")
struct UpstreamAuthorizationTests {
    @Test("401 at initialize signs in and retries; 403 insufficient_scope signs in for the union of scopes")
    func signInAndStepUp() async throws {
        let upstream = try ScriptedMCPServer()
        upstream.state.withLock { state in
            state.requireBearer = true
            state.stepUpScope = "notes:write"
        }
        let bed = try TestBed { $0.resource = upstream.url }
        let relay = try RelayProcess(
            environment: bed.relayEnvironment([
                "RELAY_BACKEND_URL": upstream.url, "RELAY_SCOPES": "notes:read",
            ]))
        let initialized = try await relay.initialize()
        #expect(initialized["result"]?["serverInfo"]?["name"] == "scripted")

        let result = try await relay.callTool("work")
        #expect(result["content"]?.arrayValue?.first?["text"] == "done")

        let scopes = try await bed.requests(to: "/authorize").map { $0["params"]?["scope"] }
        #expect(scopes == ["notes:read", "notes:read notes:write"])
        #expect(upstream.state.withLock { $0.tokens.count } == 2)
        #expect(!relay.stderr.contains(upstream.state.withLock { $0.tokens[0] }))
        _ = try await relay.finish()
    }
}
