import Foundation
import MicroHTTP
import Testing

@testable import OAuthRelay

/// A listener on a random loopback port expecting state `good-state` from `https://as.test`.
private func makeListener(requireIssuer: Bool = false, port: UInt16 = 0) throws -> CallbackListener {
    try CallbackListener(
        bindHost: "127.0.0.1", port: port, redirectHost: "127.0.0.1", expectedState: "good-state",
        issuer: "https://as.test", requireIssuer: requireIssuer)
}

/// Starts waiting in the background, as SignIn does, before any request arrives.
private func waiting(
    _ listener: CallbackListener, timeout: TimeInterval = 30
) -> Task<CallbackListener.Outcome, Never> {
    Task { await listener.wait(timeout: timeout) }
}

private func errorCode(_ outcome: CallbackListener.Outcome) -> OAuthError.Code? {
    if case .failed(let error) = outcome { error.code } else { nil }
}

@Suite("CallbackListener: the loopback redirect receiver")
struct CallbackListenerTests {
    @Test("binds a random loopback port and names it in the redirect URI")
    func randomPort() throws {
        let listener = try makeListener()
        defer { listener.close() }
        let port = try #require(URL(string: listener.redirectURI)?.port)
        #expect(port > 0)
        #expect(listener.redirectURI == "http://127.0.0.1:\(port)/callback")
    }

    @Test("on ::1 the redirect URI brackets the address")
    func ipv6RedirectURI() throws {
        let listener = try CallbackListener(
            bindHost: "::1", port: 0, redirectHost: "::1", expectedState: "s", issuer: "https://as.test",
            requireIssuer: false)
        defer { listener.close() }
        #expect(listener.redirectURI.hasPrefix("http://[::1]:"))
        #expect(listener.redirectURI.hasSuffix("/callback"))
    }

    @Test("the right state and a code end the flow with the code")
    func success() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        let response = try await send(listener.redirectURI + "?code=the-code&state=good-state")
        #expect(response.status == 200)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(await outcome.value == .code("the-code"))
    }

    @Test(
        "forged callbacks get 400, change nothing, and the real callback still succeeds",
        arguments: [
            "?code=evil&state=wrong-state",
            "?code=evil",
            "?code=evil&state=good-state&state=good-state",
            "?code=evil&state=good-state&state=wrong-state",
            "?error=access_denied",
            "?error=access_denied&state=wrong-state",
            "?code=evil&state=GOOD-STATE",
            "?code=evil&state=",
        ])
    func forged(query: String) async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        let forged = try await send(listener.redirectURI + query)
        #expect(forged.status == 400)
        let real = try await send(listener.redirectURI + "?code=real-code&state=good-state")
        #expect(real.status == 200)
        #expect(await outcome.value == .code("real-code"))
    }

    @Test("a callback with the right state but no code gets 400 and the flow keeps waiting")
    func missingCode() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        #expect(try await send(listener.redirectURI + "?state=good-state").status == 400)
        #expect(try await send(listener.redirectURI + "?state=good-state&code=").status == 400)
        #expect(try await send(listener.redirectURI + "?state=good-state&code=c2").status == 200)
        #expect(await outcome.value == .code("c2"))
    }

    @Test("access_denied with the right state ends the flow as denied")
    func denied() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        let response = try await send(
            listener.redirectURI + "?error=access_denied&error_description=User+said+no&state=good-state")
        #expect(response.status == 400)
        let result = await outcome.value
        #expect(errorCode(result) == .denied)
        guard case .failed(let error) = result else { return }
        #expect(error.message.contains("authorization denied"))
        #expect(error.message.contains("User said no"))
    }

    @Test("another error with the right state ends the flow as a callback error")
    func otherError() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        _ = try await send(listener.redirectURI + "?error=server_error&state=good-state")
        #expect(errorCode(await outcome.value) == .callbackError)
    }

    @Test("the error description is HTML-escaped in the page")
    func escapedDescription() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        let script = "<script>alert(1)</script>"
        let query = "?error=access_denied&state=good-state&error_description=" + FormEncoding.escape(script)
        let response = try await send(listener.redirectURI + query)
        #expect(!response.text.contains("<script>"))
        #expect(response.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(response.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        _ = await outcome.value
    }

    @Test(
        "an iss from another issuer, or a repeated iss, discards the code",
        arguments: [
            "&iss=https%3A%2F%2Fevil.test", "&iss=https%3A%2F%2Fas.test&iss=https%3A%2F%2Fas.test",
            "&iss=https%3A%2F%2Fas.test%2F",
        ])
    func issuerMismatch(iss: String) async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        let response = try await send(listener.redirectURI + "?code=c&state=good-state" + iss)
        #expect(response.status == 400)
        #expect(errorCode(await outcome.value) == .issuerMismatch)
    }

    @Test("a matching iss is accepted; a missing one only when the server does not promise it")
    func issuerPresence() async throws {
        let matching = try makeListener(requireIssuer: true)
        defer { matching.close() }
        let first = waiting(matching)
        _ = try await send(matching.redirectURI + "?code=c1&state=good-state&iss=https%3A%2F%2Fas.test")
        #expect(await first.value == .code("c1"))

        let required = try makeListener(requireIssuer: true)
        defer { required.close() }
        let second = waiting(required)
        #expect(try await send(required.redirectURI + "?code=c2&state=good-state").status == 400)
        #expect(errorCode(await second.value) == .issuerMismatch)
    }

    @Test("without a callback the wait ends as timed out")
    func timeout() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let result = await listener.wait(timeout: 0.2)
        #expect(errorCode(result) == .timedOut)
        guard case .failed(let error) = result else { return }
        #expect(error.message.contains("RELAY_AUTH_TIMEOUT"))
    }

    @Test("cancelling the waiting task ends the wait as cancelled")
    func cancelled() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        outcome.cancel()
        #expect(errorCode(await outcome.value) == .cancelled)
    }

    @Test("after the flow has ended, further callbacks get 400 and do not change the outcome")
    func afterFinish() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let outcome = waiting(listener)
        _ = try await send(listener.redirectURI + "?code=first&state=good-state")
        #expect(try await send(listener.redirectURI + "?code=second&state=good-state").status == 400)
        #expect(await outcome.value == .code("first"))
        #expect(await listener.wait(timeout: 5) == .code("first"))
    }

    @Test("other paths get 404 and POST gets 405")
    func otherRequests() async throws {
        let listener = try makeListener()
        defer { listener.close() }
        let base = listener.redirectURI.replacingOccurrences(of: "/callback", with: "")
        #expect(try await send(base + "/").status == 404)
        #expect(try await send(base + "/callback/x?code=c&state=good-state").status == 404)
        #expect(try await send(listener.redirectURI + "?code=c&state=good-state", method: "POST").status == 405)
    }

    @Test("close() twice is safe and stops answering")
    func closeTwice() async throws {
        let listener = try makeListener()
        let uri = listener.redirectURI
        listener.close()
        listener.close()
        await #expect(throws: (any Error).self) { try await send(uri + "?code=c&state=good-state") }
    }

    @Test("a fixed port that is taken fails with an error naming the port and RELAY_CALLBACK_PORT")
    func takenPort() throws {
        let blocker = try HTTPServer { _ in .text(200, "someone else") }
        defer { blocker.stop() }
        let error = #expect(throws: OAuthError.self) { try makeListener(port: blocker.port) }
        #expect(error?.code == .callbackPort)
        #expect(error?.message.contains("\(blocker.port)") == true)
        #expect(error?.message.contains("RELAY_CALLBACK_PORT") == true)
    }
}
