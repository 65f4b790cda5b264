/// Turns command-line flags into the `RELAY_*` settings they stand for, so that both spellings
/// of a setting share one parser: `--backend-url URL` is `RELAY_BACKEND_URL=URL`.
public enum Settings {
    /// Every setting the relay reads, with a one-line description for `--help`.
    public static let known: [(name: String, help: String)] = [
        ("RELAY_BACKEND_URL", "base URL of a REST backend, or the MCP endpoint of a remote MCP server (required)"),
        ("RELAY_BACKEND_PROTOCOL", "mcp (Streamable HTTP) or rest (default: mcp when the backend URL has a path)"),
        ("RELAY_AUTH_SERVER_URL", "issuer URL of the authorization server (default: discovered from the backend)"),
        ("RELAY_CLIENT_ID", "pre-registered client id (default: dynamic registration)"),
        ("RELAY_SCOPES", "space-separated scopes to request (default: none, the server decides)"),
        ("RELAY_RESOURCE", "resource indicator (default: the backend URL; empty: leave it out)"),
        ("RELAY_AUTH_TIMEOUT", "seconds to wait for a browser sign-in (default 120)"),
        ("RELAY_CALLBACK_HOST", "loopback address the callback listener binds (default 127.0.0.1)"),
        ("RELAY_CALLBACK_PORT", "fixed callback port (default: chosen by the system)"),
        ("RELAY_REDIRECT_HOST", "host named in the redirect URI: 127.0.0.1 or localhost"),
        (
            "RELAY_BROWSER",
            "program that opens the sign-in URL (default xdg-open); manual: log the URL and wait; "
                + "none: no browser, the tool result names the `oauth-relay login` command to run"
        ),
        ("RELAY_HTTP_TIMEOUT", "seconds before an HTTP request to the backend or server fails (default 30)"),
        ("RELAY_CA_FILE", "PEM file of certificate authorities trusted in addition to the system's"),
        ("RELAY_LOG_LEVEL", "error, warning, info (default), debug or trace"),
        ("RELAY_TOKEN_STORE", "auto (default), secret-service, encrypted-file or plaintext"),
        ("RELAY_TOKEN_PATH", "token file for the file stores"),
        ("RELAY_TOKEN_PASSPHRASE_FILE", "file holding the encrypted store's passphrase"),
        (
            "RELAY_TOKEN_KEY_FILE",
            "file holding a 32-byte key (raw or 64 hex digits) for the encrypted store; wins over a passphrase"
        ),
        (
            "RELAY_SECRET_COLLECTION",
            "Secret Service collection: default (the login keyring), session (in memory), another alias or a path"
        ),
        ("RELAY_KEYRING_TIMEOUT", "seconds every keyring call may take (default 5)"),
    ]

    /// Settings read from the environment only: secrets never come from flags.
    public static let environmentOnly = ["RELAY_TOKEN_PASSPHRASE"]

    /// `RELAY_*` names in the environment that no setting has — usually a typo worth a warning.
    public static func unknownNames(in settings: [String: String]) -> [String] {
        let names = Set(known.map(\.name) + environmentOnly)
        return settings.keys.filter { $0.hasPrefix("RELAY_") && !names.contains($0) }.sorted()
    }

    /// The warning for an unknown `RELAY_*` name, with the setting it was probably meant to be.
    public static func unknownNameWarning(_ name: String) -> String {
        let hint = suggestion(for: name).map { "; did you mean \($0)?" } ?? "; see oauth-relay --help"
        return "\(name) is not a setting oauth-relay knows and is ignored\(hint)"
    }

    /// The known setting closest to a misspelled name, when one is close (a few letters apart).
    static func suggestion(for name: String) -> String? {
        let candidates = known.map(\.name) + environmentOnly
        let scored = candidates.map { ($0, editDistance(Array(name.utf8), Array($0.utf8))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 3 else { return nil }
        return best.0
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit.
    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    /// The flag spelling of a setting: `RELAY_BACKEND_URL` → `--backend-url`.
    public static func flag(for name: String) -> String {
        "--" + name.dropFirst("RELAY_".count).lowercased().replacing("_", with: "-")
    }

    /// Applies `--flag value` and `--flag=value` arguments on top of the environment.
    /// - Returns: the merged settings and any arguments that are not setting flags.
    /// - Throws: `ConfigurationError` for an unknown flag or a flag without a value.
    public static func merge(arguments: [String], into environment: [String: String]) throws
        -> (settings: [String: String], rest: [String])
    {
        var settings = environment
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                rest.append(argument)
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let flagName = String(parts[0])
            guard let setting = known.first(where: { flag(for: $0.name) == flagName }) else {
                rest.append(argument)
                continue
            }
            if parts.count == 2 {
                settings[setting.name] = String(parts[1])
            } else if index < arguments.count, !isSettingFlag(arguments[index]) {
                settings[setting.name] = arguments[index]
                index += 1
            } else {
                // `--backend-url --log-level debug`: the next flag is not this flag's value.
                throw ConfigurationError(setting: setting.name, "\(flagName) needs a value")
            }
        }
        return (settings, rest)
    }

    /// True for `--name` or `--name=value` where `--name` is a setting's flag.
    private static func isSettingFlag(_ argument: String) -> Bool {
        let name = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return known.contains { flag(for: $0.name) == name }
    }
}
