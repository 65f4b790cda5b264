import DevServer
import Foundation
import Testing

@testable import OAuthRelay

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One development server plus a private token directory: everything a relay under test talks to.
final class TestBed: Sendable {
    let server: DevServer
    let directory: URL

    /// Starts a dev server with test controls on and automatic approval as `user`.
    init(user: String = "alice", configure: (inout DevServerConfiguration) -> Void = { _ in }) throws {
        var configuration = DevServerConfiguration()
        configuration.testControls = true
        configuration.autoApproveUser = user
        configure(&configuration)
        server = try DevServer(configuration)
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oauth-relay-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A "browser" that follows the redirects of the authorize URL, as a real one would when
    /// the server approves at once.
    static let fetchingBrowser = "curl -s -L -o /dev/null --max-time 20"

    /// The relay's environment for this bed: backend and server on the dev server, a plaintext
    /// store in the bed's directory, and the fetching browser.
    func relayEnvironment(_ overrides: [String: String] = [:]) -> [String: String] {
        var environment = [
            "RELAY_BACKEND_URL": server.baseURL,
            "RELAY_AUTH_SERVER_URL": server.issuer,
            "RELAY_CLIENT_ID": "oauth-relay",
            "RELAY_TOKEN_STORE": "plaintext",
            "RELAY_TOKEN_PATH": directory.appendingPathComponent("tokens.json").path,
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
            "RELAY_BROWSER": Self.fetchingBrowser,
            "RELAY_AUTH_TIMEOUT": "20",
            "RELAY_LOG_LEVEL": "debug",
        ]
        for (name, value) in overrides { environment[name] = value }
        return environment
    }

    /// Starts a relay in front of one form of the backend and initializes it.
    func startRelay(_ overrides: [String: String] = [:], form: BackendForm = .rest) async throws -> RelayProcess {
        var environment = ["RELAY_BACKEND_URL": form.backendURL(of: server)]
        environment.merge(overrides) { _, new in new }
        let relay = try RelayProcess(environment: relayEnvironment(environment))
        _ = try await relay.initialize()
        return relay
    }

    // MARK: - Test controls

    /// POSTs to a test control and returns its JSON answer.
    @discardableResult
    func control(_ path: String, method: String = "POST") async throws -> JSONValue {
        guard let url = URL(string: server.baseURL + "/_test/" + path) else {
            throw RelayProcess.Failure(description: "bad control path \(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw RelayProcess.Failure(description: "control \(path) failed: \(String(decoding: data, as: UTF8.self))")
        }
        return (try? JSONValue(parsing: data)) ?? .null
    }

    /// How many requests reached "METHOD /path".
    func count(_ key: String) async throws -> Int {
        let counts = try await control("counts", method: "GET")
        return Int(counts[key]?.numberValue ?? 0)
    }

    /// Every recorded request, oldest first.
    func allRequests() async throws -> [JSONValue] {
        try await control("requests", method: "GET")["requests"]?.arrayValue ?? []
    }

    /// The recorded requests to a path, oldest first.
    func requests(to path: String) async throws -> [JSONValue] {
        try await allRequests().filter { $0["path"]?.stringValue == path }
    }

    /// Token requests with the given grant type.
    func tokenRequests(grantType: String) async throws -> [JSONValue] {
        try await requests(to: "/token").filter { $0["params"]?["grant_type"]?.stringValue == grantType }
    }

    /// The token entries of the plaintext store's file (docs/token-file-format.md), parsed.
    func storedEntries() throws -> JSONValue? {
        let url = directory.appendingPathComponent("tokens.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try JSONValue(parsing: data)["tokens"]
    }
}

/// The two forms of the dev server's backend a relay can stand in front of.
enum BackendForm: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `GET /mcp/tools`, `POST /mcp/tools/{name}`: the relay answers the host itself.
    case rest
    /// The Streamable HTTP MCP endpoint `/mcp`: the relay is a transparent proxy.
    case mcp

    func backendURL(of server: DevServer) -> String {
        switch self {
        case .rest: server.baseURL
        case .mcp: server.baseURL + "/mcp"
        }
    }

    var testDescription: String { self == .rest ? "REST backend" : "MCP endpoint" }
}

/// What a tool call came to, as a host sees it: a tool result, or a failure — a tool result
/// with `isError` (REST form) or a JSON-RPC error (the proxy passes on the server's own words).
struct ToolOutcome {
    var text: String
    var failed: Bool
}

extension RelayProcess {
    /// Calls a tool and reads its outcome, whichever form the failure takes.
    func use(_ name: String, _ arguments: JSONValue = [:], timeout: Duration = .seconds(30)) async throws
        -> ToolOutcome
    {
        let answer = try await request(
            "tools/call", params: ["name": .string(name), "arguments": arguments], timeout: timeout)
        if let result = answer["result"] { return ToolOutcome(text: result.toolText, failed: result.isToolError) }
        return ToolOutcome(text: answer["error"]?["message"]?.stringValue ?? "\(answer)", failed: true)
    }
}

extension JSONValue {
    /// The text of the first content item of a tool result.
    var toolText: String { self["content"]?.arrayValue?.first?["text"]?.stringValue ?? "" }
    var isToolError: Bool { self["isError"] == .bool(true) }
}
