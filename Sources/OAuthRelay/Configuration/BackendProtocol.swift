import FoundationEssentials

/// What the backend speaks: the simple REST form, or MCP itself over Streamable HTTP.
public enum BackendProtocol: String, Sendable, CaseIterable {
    case mcp, rest

    /// `RELAY_BACKEND_PROTOCOL` when set; otherwise `rest` when the backend URL has no path
    /// (`https://api.example.com`, the REST base URL form) and `mcp` when it has one
    /// (`https://host/mcp`, an MCP endpoint).
    /// - Throws: `ConfigurationError` for a value other than `mcp` or `rest`.
    public init(settings: [String: String], backendURL: URL) throws {
        let configured = settings["RELAY_BACKEND_PROTOCOL"]?.trimmingWhitespace().lowercased()
        if let configured, !configured.isEmpty {
            guard let chosen = BackendProtocol(rawValue: configured) else {
                throw ConfigurationError(
                    setting: "RELAY_BACKEND_PROTOCOL",
                    "RELAY_BACKEND_PROTOCOL=\(configured) is not a backend protocol; use mcp or rest")
            }
            self = chosen
            return
        }
        let path = URLComponents(url: backendURL, resolvingAgainstBaseURL: false)?.path ?? ""
        self = path.allSatisfy { $0 == "/" } ? .rest : .mcp
    }
}
