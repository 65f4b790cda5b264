import DevServer
import Foundation
import Testing

@testable import OAuthRelay

/// Two real relay processes sharing one store (CASES 1 and 10).
@Suite("Two relays, one store", .serialized)
struct CrossProcessTests {
    @Test("Two relays with the same expired token: exactly one refresh request reaches the server")
    func oneRefresh() async throws {
        let bed = try TestBed()
        try await bed.control("token-lifetime?seconds=3")
        let first = try await bed.startRelay()
        _ = try await first.callTool("whoami")
        _ = try await first.finish()
        try await Task.sleep(for: .seconds(4))

        try await bed.control("token-lifetime?seconds=3600")
        let a = try await bed.startRelay()
        let b = try await bed.startRelay()
        async let left = a.callTool("whoami")
        async let right = b.callTool("whoami")
        let results = try await [left, right]
        #expect(results.allSatisfy { $0.toolText.contains("alice") }, "\(results)")
        #expect(try await bed.tokenRequests(grantType: "refresh_token").count == 1)
        #expect(try await bed.count("GET /authorize") == 1, "no grant was revoked by a reuse")
        _ = try await a.finish()
        _ = try await b.finish()
    }

    @Test("Two relays that both need a sign-in: one browser flow, the second uses its tokens")
    func oneSignIn() async throws {
        let bed = try TestBed()
        let a = try await bed.startRelay()
        let b = try await bed.startRelay()
        async let left = a.callTool("whoami")
        async let right = b.callTool("whoami")
        let results = try await [left, right]
        #expect(results.allSatisfy { $0.toolText.contains("alice") }, "\(results)")
        #expect(try await bed.count("GET /authorize") == 1)
        _ = try await a.finish()
        _ = try await b.finish()
    }
}
