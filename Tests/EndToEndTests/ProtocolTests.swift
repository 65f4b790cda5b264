import Foundation
import Testing

@testable import OAuthRelay

/// The stdio protocol as a host sees it: answers, errors, concurrency, shutdown, stdout purity.
@Suite("MCP over stdio, end to end", .serialized)
struct ProtocolTests {
    @Test(
        "initialize answers the client's version when supported, else the newest",
        arguments: [
            ("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"), ("2025-03-26", "2025-03-26"),
            ("2024-11-05", "2024-11-05"), ("1999-01-01", "2025-11-25"),
        ])
    func versionNegotiation(requested: String, expected: String) async throws {
        let bed = try TestBed()
        let relay = try RelayProcess(environment: bed.relayEnvironment())
        let answer = try await relay.initialize(version: requested)
        #expect(answer["result"]?["protocolVersion"] == .string(expected))
        #expect(answer["result"]?["serverInfo"]?["name"] == "oauth-relay")
        #expect(answer["result"]?["capabilities"]?["tools"] != nil)
        _ = try await relay.finish()
    }

    @Test("Errors: parse -32700 with null id, invalid -32600, unknown method -32601, bad params -32602")
    func errorCodes() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay()
        try relay.sendLine("{not json")
        try relay.sendLine(#"{"jsonrpc":"2.0","id":"s-1","method":"no/such"}"#)
        try relay.sendLine(#"{"jsonrpc":"1.0","id":7,"method":"ping"}"#)
        try relay.sendLine(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{}}}"#)
        try relay.sendLine(#"{"jsonrpc":"2.0","method":"notifications/unknown"}"#)
        let unknown = try await relay.response(for: "s-1")
        #expect(unknown["error"]?["code"] == .int(JSONRPCErrorCode.methodNotFound))
        let invalid = try await relay.response(for: 7)
        #expect(invalid["error"]?["code"] == .int(JSONRPCErrorCode.invalidRequest))
        let badParams = try await relay.response(for: 8)
        #expect(badParams["error"]?["code"] == .int(JSONRPCErrorCode.invalidParams))
        let parse = relay.stdout.compactMap { try? JSONValue(parsing: Data($0.utf8)) }
            .first { $0["error"]?["code"] == .int(JSONRPCErrorCode.parseError) }
        #expect(parse?["id"] == .null)
        _ = try await relay.finish()
        // Notifications are never answered: 1 initialize + 4 answers.
        #expect(relay.stdout.count == 5, "\(relay.stdout)")
    }

    @Test("a request id of any size is answered exactly as it was sent")
    func largeIDs() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay()
        try relay.sendLine(#"{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}"#)
        try relay.sendLine(#"{"jsonrpc":"2.0","id":-1.50,"method":"ping"}"#)
        _ = try await relay.response(for: .number(JSONNumber(validLiteral: "-1.5")))
        _ = try await relay.finish()
        #expect(relay.stdout.contains { $0.contains(#""id":123456789012345678901234567890"#) })
        #expect(relay.stdout.contains { $0.contains(#""id":-1.50"#) })
    }

    @Test("tools/list passes the backend's inputSchema through untouched")
    func toolsList() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay()
        let answer = try await relay.request("tools/list")
        let tools = try #require(answer["result"]?["tools"]?.arrayValue)
        let names = tools.compactMap { $0["name"]?.stringValue }
        #expect(Set(names).isSuperset(of: ["echo", "whoami", "read_notes", "create_note"]))
        let echo = try #require(tools.first { $0["name"] == "echo" })
        #expect(echo["inputSchema"]?["type"] == "object")
        _ = try await relay.finish()
    }

    @Test("A pending sign-in blocks neither ping nor other tools; cancelling abandons it")
    func concurrencyAndCancellation() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_BROWSER": "manual", "RELAY_AUTH_TIMEOUT": "60"])
        let pending = try relay.send("tools/call", params: ["name": "whoami", "arguments": [:]])
        _ = try await FieldCaseTests.waitForAuthorizeURL(relay)
        let ping = try await relay.request("ping", timeout: .seconds(30))
        #expect(ping["result"] == [:])
        let echo = try await relay.callTool("echo", ["message": "meanwhile"], timeout: .seconds(30))
        #expect(echo.toolText.contains("meanwhile"))

        try relay.notify("notifications/cancelled", params: ["requestId": pending, "reason": "test"])
        try await Task.sleep(for: .milliseconds(500))
        #expect(!relay.stdout.contains { $0.contains("\"id\":\(pending)") && $0.contains("result") })
        #expect(try await relay.finish(timeout: .seconds(3)) == 0)
    }

    @Test("End of input ends the process within 2 seconds, even during a sign-in")
    func exitOnEOF() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_BROWSER": "manual", "RELAY_AUTH_TIMEOUT": "60"])
        _ = try relay.send("tools/call", params: ["name": "whoami", "arguments": [:]])
        _ = try await FieldCaseTests.waitForAuthorizeURL(relay)
        #expect(try await relay.finish(timeout: .seconds(2)) == 0)
    }

    @Test("SIGTERM ends the process within 2 seconds")
    func exitOnSIGTERM() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_BROWSER": "manual", "RELAY_AUTH_TIMEOUT": "60"])
        _ = try relay.send("tools/call", params: ["name": "whoami", "arguments": [:]])
        _ = try await FieldCaseTests.waitForAuthorizeURL(relay)
        relay.signal(SIGTERM)
        for _ in 0..<200 where relay.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!relay.isRunning)
    }

    @Test("Every byte on stdout is protocol, and no secret reaches stdout or the log")
    func stdoutIsProtocolOnly() async throws {
        let bed = try TestBed()
        let relay = try await bed.startRelay(["RELAY_LOG_LEVEL": "trace"])
        try relay.sendLine("garbage")
        _ = try await relay.callTool("whoami")
        _ = try await relay.callTool("create_note", ["text": "a note"])
        _ = try await relay.request("tools/list")
        _ = try await relay.finish()

        for line in relay.stdout {
            let message = try JSONValue(parsing: Data(line.utf8))
            #expect(message["jsonrpc"] == "2.0", "\(line)")
        }
        let stored = try #require(bed.storedEntries()?.objectValue?.values.first)
        let tokens = stored["tokens"] ?? stored
        let access = try #require(tokens["access_token"]?.stringValue)
        let refresh = tokens["refresh_token"]?.stringValue
        #expect(!relay.stderr.contains(access))
        if let refresh { #expect(!relay.stderr.contains(refresh)) }
        #expect(!relay.stdout.joined().contains(access))
        #expect(!relay.stderr.contains("code_verifier"))
    }

    @Test(
        "Missing or invalid settings: one clear line naming the setting, exit status 2",
        arguments: [
            ([:], "RELAY_BACKEND_URL"),
            (["RELAY_BACKEND_URL": "http://api.example.test"], "https"),
            (["RELAY_BACKEND_URL": "http://127.0.0.1:1", "RELAY_AUTH_TIMEOUT": "soon"], "RELAY_AUTH_TIMEOUT"),
            (["RELAY_BACKEND_URL": "http://127.0.0.1:1", "RELAY_TOKEN_STORE": "floppy"], "RELAY_TOKEN_STORE"),
        ])
    func configurationErrors(environment: [String: String], mentions: String) async throws {
        let relay = try RelayProcess(environment: environment)
        let status = try await relay.finish()
        #expect(status == 2)
        #expect(relay.stderr.contains(mentions), "\(relay.stderr)")
        #expect(relay.stdout.isEmpty)
    }
}
