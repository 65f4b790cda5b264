import FoundationEssentials
import Glibc
import OAuthRelay

/// The `oauth-relay` command: with no subcommand (or `serve`) the stdio MCP server.
signal(SIGPIPE, SIG_IGN)
let arguments = Array(CommandLine.arguments.dropFirst())
let status = await RelayCommand.run(arguments: arguments, environment: ProcessInfo.processInfo.environment)
exit(status)
