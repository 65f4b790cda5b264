import DevServer
import Foundation
import MicroHTTP
import Synchronization
import Testing

@testable import OAuthRelay

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Entries of CASES.md that need the whole program to show.
@Suite("Field cases, end to end", .serialized)
struct FieldCaseTests {
    @Test(
        "CASES 6: expires_in as a string is a number; missing means unknown",
        arguments: [
            ("expiresInString", true), ("noExpiresIn", false),
        ])
    func expiresInVariants(variant: String, expectExpiry: Bool) async throws {
        let bed = try TestBed()
        try await bed.control("metadata?variant=\(variant)")
        let relay = try await bed.startRelay()
        let result = try await relay.callTool("whoami")
        #expect(result.toolText.contains("alice"), "\(result)")
        let entry = try #require(try bed.storedEntries()?.objectValue?.values.first)
        let tokens = entry["tokens"] ?? entry
        if expectExpiry {
            #expect(tokens["expires_at"]?.numberValue != nil, "\(tokens)")
        } else {
            #expect(tokens["expires_at"] == nil || tokens["expires_at"] == .null)
        }
        // A second call uses the stored tokens without a new sign-in.
        _ = try await relay.callTool("whoami")
        #expect(try await bed.count("GET /authorize") == 1)
        _ = try await relay.finish()
    }

    @Test("CASES 12: a forged callback gets 400 and changes nothing; the real one still succeeds")
    func forgedCallbackIgnored() async throws {
        let bed = try TestBed()
        // A long sign-in window: the forged callbacks go first, however slowly the test runs.
        let relay = try await bed.startRelay(["RELAY_BROWSER": "manual", "RELAY_AUTH_TIMEOUT": "600"])
        let call = try relay.send("tools/call", params: ["name": "whoami", "arguments": [:]])
        let authorizeURL = try await Self.waitForAuthorizeURL(relay)
        let port = try #require(ReferenceFlowTests.callbackPort(in: relay.stderr) as UInt16?)

        for forged in [
            "error=access_denied", "state=wrong&error=access_denied", "state=wrong&code=stolen",
            "code=x",
        ] {
            let status = try await Self.get("http://127.0.0.1:\(port)/callback?\(forged)")
            #expect(status == 400, "forged callback \(forged)")
        }
        // The real browser flow afterwards completes the sign-in.
        _ = try await Self.get(authorizeURL)
        let answer = try await relay.response(for: call)
        #expect(answer["result"]?.toolText.contains("alice") == true, "\(answer)")
        _ = try await relay.finish()
    }

    @Test(
        "CASES 11: only http(s) authorization endpoints are opened, directly and never through a shell",
        arguments: ["file:///etc/passwd", "javascript:alert(1)"])
    func hostileAuthorizationEndpointRefused(endpoint: String) async throws {
        let bed = try TestBed()
        let fake = try FakeAuthorizationServer(authorizationEndpoint: endpoint)
        let recorder = try ArgumentRecorder(in: bed.directory)
        let relay = try await bed.startRelay([
            "RELAY_AUTH_SERVER_URL": fake.issuer, "RELAY_BROWSER": recorder.command,
        ])
        let result = try await relay.callTool("whoami")
        #expect(result.isToolError)
        #expect(result.toolText.contains("authorization_endpoint"), "\(result.toolText)" as Comment)
        #expect(recorder.recorded() == nil, "the browser was never started")
        _ = try await relay.finish()
    }

    @Test("CASES 11: shell metacharacters in the authorize URL are passed as one argument, not run")
    func shellMetacharactersNotExecuted() async throws {
        let bed = try TestBed()
        let marker = bed.directory.appendingPathComponent("pwned").path
        let endpoint = "https://as.test/a?x=$(touch%20\(marker))&y=`touch%20\(marker)`;touch%20\(marker)"
        let fake = try FakeAuthorizationServer(authorizationEndpoint: endpoint)
        let recorder = try ArgumentRecorder(in: bed.directory)
        let relay = try await bed.startRelay([
            "RELAY_AUTH_SERVER_URL": fake.issuer, "RELAY_BROWSER": recorder.command, "RELAY_AUTH_TIMEOUT": "2",
        ])
        let result = try await relay.callTool("whoami")
        #expect(result.isToolError, "the sign-in times out: nobody approves")
        let argv = try #require(recorder.recorded())
        #expect(argv.count == 1, "the URL is one argument: \(argv)")
        #expect(argv.first?.hasPrefix("https://as.test/a?x=$(touch") == true)
        #expect(!FileManager.default.fileExists(atPath: marker), "nothing was executed")
        _ = try await relay.finish()
    }

    // MARK: - Helpers

    static func waitForAuthorizeURL(_ relay: RelayProcess) async throws -> String {
        for _ in 0..<500 {
            if let range = relay.stderr.range(of: "browser if none opens: ") {
                let url = relay.stderr[range.upperBound...].prefix { !$0.isWhitespace }
                return String(url)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RelayProcess.Failure(description: "no sign-in URL in the log:\n\(relay.stderr)")
    }

    /// GETs a URL following redirects; returns the final status.
    static func get(_ url: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

/// An authorization server whose metadata names a chosen authorization endpoint.
final class FakeAuthorizationServer: Sendable {
    let server: HTTPServer
    let issuer: String

    init(authorizationEndpoint: String) throws {
        let issuerBox = IssuerBox()
        server = try HTTPServer { request in
            guard request.path == "/.well-known/oauth-authorization-server" else { return .text(404, "") }
            return .json(
                200,
                [
                    "issuer": issuerBox.value, "authorization_endpoint": authorizationEndpoint,
                    "token_endpoint": issuerBox.value + "/token", "code_challenge_methods_supported": ["S256"],
                ])
        }
        issuer = server.baseURL
        issuerBox.set(server.baseURL)
    }

    deinit { server.stop() }
}

private final class IssuerBox: Sendable {
    private let storage = Mutex("")
    var value: String { storage.withLock { $0 } }
    func set(_ value: String) { storage.withLock { $0 = value } }
}

/// A stand-in browser: a script that records its arguments, one per line, in a file.
struct ArgumentRecorder {
    let command: String
    let output: URL

    init(in directory: URL) throws {
        output = directory.appendingPathComponent("argv-\(UUID().uuidString)")
        let script = directory.appendingPathComponent("record-argv-\(UUID().uuidString).sh")
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '\(output.path)'\n"
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        command = script.path
    }

    /// The recorded arguments, or nil when the script never ran.
    func recorded() -> [String]? {
        for _ in 0..<100 {
            if let text = try? String(contentsOf: output, encoding: .utf8) {
                return text.split(separator: "\n").map(String.init)
            }
            usleep(10_000)
        }
        return nil
    }
}
