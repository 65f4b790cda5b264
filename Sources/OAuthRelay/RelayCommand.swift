import FoundationEssentials

/// Parses the command line and runs a subcommand. Exit statuses: 0 success, 1 failure,
/// 2 usage or configuration error.
public enum RelayCommand {
    public static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        let settings: [String: String]
        let rest: [String]
        do {
            (settings, rest) = try Settings.merge(arguments: arguments, into: environment)
        } catch {
            Logger.standardError("oauth-relay: \(error)\n")
            return 2
        }
        switch rest.first {
        case nil, "serve":
            if let extra = rest.dropFirst().first {
                if extra == "--help" || extra == "-h" {
                    print(helpText, terminator: "")
                    return 0
                }
                return usageError("unexpected argument \(extra)")
            }
            return await RelayService.serve(settings: settings)
        case "store":
            return StoreCommand.run(
                arguments: Array(rest.dropFirst()), environment: settings,
                output: { print($0) }, errorOutput: { Logger.standardError($0 + "\n") })
        case "login":
            return await LoginCommand.run(arguments: Array(rest.dropFirst()), settings: settings)
        case "logout":
            return await LogoutCommand.run(arguments: Array(rest.dropFirst()), settings: settings)
        case "status":
            return await StatusCommand.run(arguments: Array(rest.dropFirst()), settings: settings)
        case "-h", "--help", "help":
            print(helpText, terminator: "")
            return 0
        case "--version", "version":
            print("oauth-relay \(MCPServer.serverVersion)")
            return 0
        case let other?:
            return usageError("unknown command or option \(other)")
        }
    }

    private static func usageError(_ message: String) -> Int32 {
        Logger.standardError("oauth-relay: \(message); see oauth-relay --help\n")
        return 2
    }

    static var helpText: String {
        var text = """
            oauth-relay: a stdio MCP server that signs in with OAuth and forwards tool calls.

            Usage:
              oauth-relay [serve] [--setting value ...]    run the MCP server on stdin/stdout
              oauth-relay login [--device | --no-browser]  sign in from a terminal
              oauth-relay logout [--all]                   revoke and delete stored sign-ins
              oauth-relay status [--json]                  show the token store and its sign-ins
              oauth-relay store list                       show stored sign-ins (never a secret)
              oauth-relay store migrate --to BACKEND       move every entry to another store
              oauth-relay --help | --version

            Settings (environment variable, or the flag of the same name):

            """
        for setting in Settings.known {
            let flag = Settings.flag(for: setting.name)
            text += "  \(setting.name) / \(flag)\n      \(setting.help)\n"
        }
        text += """

            Environment only (never a flag, so it stays out of process listings):
              RELAY_TOKEN_PASSPHRASE
                  the encrypted store's passphrase; prefer RELAY_TOKEN_PASSPHRASE_FILE

            Each command has its own --help. When serving, standard output carries only the MCP
            protocol; logs go to standard error.

            """
        return text
    }
}
