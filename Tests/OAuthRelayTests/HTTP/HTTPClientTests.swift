import Foundation
import MicroHTTP
import Synchronization
import Testing

@testable import OAuthRelay

private func get(_ url: String, with client: HTTPClient) async throws -> HTTPClientResponse {
    try await client.send(OutgoingRequest(url: try #require(URL(string: url))))
}

private func expectFailure(
    _ kind: HTTPClientError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> HTTPClientError? {
    do {
        try await body()
        Issue.record("expected \(kind), got a response", sourceLocation: sourceLocation)
        return nil
    } catch let error as HTTPClientError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected HTTPClientError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("HTTPClient on libcurl")
struct HTTPClientTests {
    @Test("a body over the 16 MiB cap is refused with an error naming the origin; one at the cap is read")
    func bodyCap() async throws {
        let server = try HTTPServer { request in
            let size = request.path == "/big" ? HTTPClient.maxBodyBytes + 1 : HTTPClient.maxBodyBytes
            return HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: size))
        }
        let client = HTTPClient(timeout: 10)
        let error = await expectFailure(.tooLarge) { _ = try await get(server.baseURL + "/big", with: client) }
        #expect(error?.description.contains("too large") == true)
        #expect(error?.description.contains(server.baseURL) == true)
        let fits = try await get(server.baseURL + "/fits", with: client)
        #expect(fits.body.count == HTTPClient.maxBodyBytes)
    }

    @Test("https:// to a plain HTTP server is a TLS failure that says to use http://")
    func plainHTTPBehindHTTPS() async throws {
        let server = try PlainAnswerServer()
        let error = await expectFailure(.tls) {
            _ = try await get("https://127.0.0.1:\(server.port)/", with: HTTPClient(timeout: 5))
        }
        #expect(error?.isPlainHTTPAnswer == true, "\(String(describing: error?.detail))")
        #expect(error?.description.contains("use an http:// URL") == true)
    }

    @Test("redirects are followed within the origin and returned as they are across origins")
    func redirects() async throws {
        let other = try HTTPServer { _ in .text(200, "other origin") }
        let server = try HTTPServer { request in
            switch request.path {
            case "/here": HTTPResponse(status: 302, headers: [("Location", "/target")])
            case "/away": HTTPResponse(status: 307, headers: [("Location", other.baseURL + "/x")])
            default: .text(200, "target \(request.method)")
            }
        }
        let client = HTTPClient(timeout: 5)
        let followed = try await get(server.baseURL + "/here", with: client)
        #expect(followed.status == 200)
        #expect(followed.text == "target GET")
        let kept = try await get(server.baseURL + "/away", with: client)
        #expect(kept.status == 307)
        #expect(kept.header("Location") == other.baseURL + "/x")
    }

    @Test("cancelling the task ends the request at once as cancelled")
    func cancellation() async throws {
        let server = try HeldAnswerServer()
        defer { server.release() }
        // Neither the client's timeout nor the server's own release can come first, even when
        // the test resumes late; a lost cancellation ends as timed out after two minutes.
        let client = HTTPClient(timeout: 120)
        let url = server.baseURL
        let task = Task { try await get(url, with: client) }
        // Cancelled only once the request is at the server, whose answer waits until the test ends:
        // a response here could only mean the cancellation was lost.
        try await server.waitForRequest()
        task.cancel()
        _ = await expectFailure(.cancelled) { _ = try await task.value }
    }

    @Test("a server that sends nothing for the timeout fails as timed out")
    func idleTimeout() async throws {
        let server = try HeldAnswerServer()
        defer { server.release() }
        // The answer is held until the test ends, so only the client's own timeout can end the wait.
        _ = await expectFailure(.timedOut) { _ = try await get(server.baseURL, with: HTTPClient(timeout: 0.5)) }
    }

    @Test("an IPv6 literal URL is reachable")
    func ipv6() async throws {
        let server = try HTTPServer(host: "::1") { _ in .text(200, "six") }
        let response = try await get(server.baseURL, with: HTTPClient(timeout: 5))
        #expect(response.text == "six")
    }

    @Test("RELAY_CA_FILE: a self-signed server fails as TLS without it and is trusted with it")
    func caFile() async throws {
        let server = try SelfSignedServer()
        defer { server.stop() }
        let error = await expectFailure(.tls) { _ = try await get(server.url, with: HTTPClient(timeout: 5)) }
        #expect(error?.description.contains("certificate") == true)
        let trusted = try await get(server.url, with: HTTPClient(timeout: 5, caFile: server.certificate))
        #expect(trusted.text == "trusted")
    }
}

/// A server that answers only once the test releases it (or after 150 s), and tells when a request
/// has arrived: tests of waiting depend on events, not on how fast a loaded machine schedules them.
private final class HeldAnswerServer: Sendable {
    private final class Flags: Sendable {
        let arrivals = Atomic<Int>(0)
        let released = Atomic<Bool>(false)
    }

    private let flags = Flags()
    private let server: HTTPServer

    init() throws {
        let flags = flags
        server = try HTTPServer { _ in
            flags.arrivals.add(1, ordering: .sequentiallyConsistent)
            let deadline = Date().addingTimeInterval(150)
            while !flags.released.load(ordering: .sequentiallyConsistent), Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            return .text(200, "late")
        }
    }

    var baseURL: String { server.baseURL }

    /// Returns once a request has reached the handler.
    func waitForRequest() async throws {
        while flags.arrivals.load(ordering: .sequentiallyConsistent) == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func release() {
        flags.released.store(true, ordering: .sequentiallyConsistent)
        server.stop()
    }
}
