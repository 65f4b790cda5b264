import Testing

@testable import OAuthRelay

@Suite("PKCE (RFC 7636)")
struct PKCETests {
    @Test("the RFC 7636 Appendix B verifier gives the Appendix B challenge")
    func appendixB() {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(pkce.method == "S256")
    }

    @Test("1,000 fresh verifiers are unique, 43 characters, and use only the base64url alphabet")
    func freshVerifiers() throws {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var verifiers = Set<String>()
        var challenges = Set<String>()
        for _ in 0..<1000 {
            let pkce = try PKCE()
            #expect(pkce.verifier.count == 43)
            #expect(pkce.verifier.allSatisfy(alphabet.contains))
            #expect(pkce.challenge.count == 43)
            #expect(pkce.challenge == PKCE(verifier: pkce.verifier).challenge)
            verifiers.insert(pkce.verifier)
            challenges.insert(pkce.challenge)
        }
        #expect(verifiers.count == 1000)
        #expect(challenges.count == 1000)
    }

    @Test("description never shows the verifier")
    func redacted() throws {
        let pkce = try PKCE()
        #expect(!"\(pkce)".contains(pkce.verifier))
        #expect(!String(reflecting: pkce).contains(pkce.verifier))
    }
}
