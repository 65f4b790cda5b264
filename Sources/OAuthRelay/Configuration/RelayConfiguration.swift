import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Everything the relay needs to run, read from `RELAY_*` settings.
public struct RelayConfiguration: Sendable {
    public var backendURL: URL
    /// The authorization server's issuer; nil means discover it from the backend (RFC 9728).
    public var authServerURL: URL?
    /// A pre-registered client id; nil means dynamic client registration (RFC 7591).
    public var clientID: String?
    public var scopes: [String]?
    /// The resource indicator; nil means "leave the parameter out".
    public var resource: String?
    public var authTimeout: TimeInterval
    public var callbackHost: String
    public var callbackPort: UInt16
    public var redirectHost: String
    /// The browser command split into program and fixed arguments; nil means do not open one
    /// (`none` or `manual`; see `browserMode`).
    public var browser: [String]?
    public var httpTimeout: TimeInterval
    /// A PEM file of certificate authorities trusted in addition to the system store.
    public var caFile: String?
    public var logLevel: LogLevel
    /// All settings as given, for the token store's own configuration.
    public var settings: [String: String]

    /// Reads and validates settings.
    /// - Throws: `ConfigurationError` naming the first setting that is missing or invalid.
    public init(settings: [String: String]) throws {
        self.settings = settings
        func value(_ name: String) -> String? {
            guard let raw = settings[name] else { return nil }
            let trimmed = raw.trimmingWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }

        logLevel =
            try value("RELAY_LOG_LEVEL").map { name in
                guard let level = LogLevel(name: name) else {
                    throw ConfigurationError(
                        setting: "RELAY_LOG_LEVEL",
                        "RELAY_LOG_LEVEL=\(name) is not a log level; use error, warning, info, debug or trace")
                }
                return level
            } ?? .info

        guard let backend = value("RELAY_BACKEND_URL") else {
            let misspelled = Settings.unknownNames(in: settings).filter {
                Settings.suggestion(for: $0) == "RELAY_BACKEND_URL"
            }
            let hint = misspelled.first.map { " (\($0) is set: a typo?)" } ?? ""
            throw ConfigurationError(
                setting: "RELAY_BACKEND_URL",
                "RELAY_BACKEND_URL is not set\(hint); set it to the backend's base URL or the MCP endpoint of a "
                    + "remote MCP server, e.g. RELAY_BACKEND_URL=https://api.example.com")
        }
        backendURL = try Self.serviceURL(backend, setting: "RELAY_BACKEND_URL")
        authServerURL = try value("RELAY_AUTH_SERVER_URL").map {
            try Self.serviceURL($0, setting: "RELAY_AUTH_SERVER_URL")
        }
        clientID = value("RELAY_CLIENT_ID")
        scopes = value("RELAY_SCOPES").map { $0.split(separator: " ").map(String.init) }

        if let explicit = settings["RELAY_RESOURCE"] {
            resource = explicit.isEmpty ? nil : explicit
        } else {
            resource = Self.defaultResource(for: backendURL)
        }

        authTimeout = try Self.seconds(value("RELAY_AUTH_TIMEOUT"), setting: "RELAY_AUTH_TIMEOUT") ?? 120
        httpTimeout = try Self.seconds(value("RELAY_HTTP_TIMEOUT"), setting: "RELAY_HTTP_TIMEOUT") ?? 30
        caFile = try value("RELAY_CA_FILE").map { path in
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError(
                    setting: "RELAY_CA_FILE",
                    "RELAY_CA_FILE=\(path) is not a readable file; give the path of a PEM certificate bundle")
            }
            return path
        }

        callbackHost = value("RELAY_CALLBACK_HOST") ?? "127.0.0.1"
        guard callbackHost == "localhost" || isLoopbackAddress(callbackHost) else {
            throw ConfigurationError(
                setting: "RELAY_CALLBACK_HOST",
                "RELAY_CALLBACK_HOST=\(callbackHost) is not a loopback address; "
                    + "use 127.0.0.1 or ::1 (RFC 8252 loopback redirect)")
        }
        if callbackHost == "localhost" { callbackHost = "127.0.0.1" }

        if let port = value("RELAY_CALLBACK_PORT") {
            guard let number = UInt16(port) else {
                throw ConfigurationError(
                    setting: "RELAY_CALLBACK_PORT",
                    "RELAY_CALLBACK_PORT=\(port) is not a port number (1-65535); "
                        + "leave it unset to let the system choose a free port")
            }
            callbackPort = number
        } else {
            callbackPort = 0
        }

        let redirect = value("RELAY_REDIRECT_HOST") ?? callbackHost
        guard ["127.0.0.1", "localhost", "::1"].contains(redirect) || redirect == callbackHost else {
            throw ConfigurationError(
                setting: "RELAY_REDIRECT_HOST",
                "RELAY_REDIRECT_HOST=\(redirect) must be 127.0.0.1, ::1 or localhost")
        }
        redirectHost = redirect

        let browserSetting = value("RELAY_BROWSER") ?? "xdg-open"
        browser =
            ["none", "manual"].contains(browserSetting)
            ? nil : browserSetting.split(separator: " ").map(String.init)
    }

    /// The resource indicator used when none is configured: the backend URL without a trailing
    /// slash, the form RFC 8707 and RFC 9728 examples use.
    static func defaultResource(for backend: URL) -> String {
        var text = backend.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Accepts https URLs, and http only on loopback (development servers).
    static func serviceURL(_ text: String, setting: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil
        else {
            throw ConfigurationError(
                setting: setting, "\(setting)=\(text) is not an absolute URL; use https://host/...")
        }
        guard scheme == "https" || (scheme == "http" && isLoopback(url)) else {
            throw ConfigurationError(
                setting: setting,
                "\(setting)=\(text) must use https (plain http is allowed only on 127.0.0.1, ::1 or localhost)")
        }
        return url
    }

    /// The longest timeout accepted: a day. Larger values overflow `Duration` and trap.
    static let maximumSeconds: TimeInterval = 86_400

    private static func seconds(_ text: String?, setting: String) throws -> TimeInterval? {
        guard let text else { return nil }
        guard let value = Double(text), value > 0, value <= maximumSeconds else {
            throw ConfigurationError(
                setting: setting,
                "\(setting)=\(text) is not a positive number of seconds (at most \(Int(maximumSeconds)))")
        }
        return value
    }
}

/// True for URLs whose host is a loopback address or `localhost`.
func isLoopback(_ url: URL) -> Bool {
    guard var host = url.host?.lowercased() else { return false }
    if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
    return host == "localhost" || isLoopbackAddress(host)
}

/// True for a numeric address in 127.0.0.0/8 or ::1. Names such as `127.0.0.1.example.com`
/// are not addresses: they resolve wherever their owner wants.
func isLoopbackAddress(_ host: String) -> Bool {
    var ipv4 = in_addr()
    if inet_pton(AF_INET, host, &ipv4) == 1 { return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127 }
    var ipv6 = in6_addr()
    guard inet_pton(AF_INET6, host, &ipv6) == 1 else { return false }
    return withUnsafeBytes(of: ipv6) { Array($0) } == [UInt8](repeating: 0, count: 15) + [1]
}
