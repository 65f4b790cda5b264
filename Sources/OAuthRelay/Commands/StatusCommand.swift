import FoundationEssentials

/// `oauth-relay status [--json]`: the token store in use and why, and what each stored sign-in
/// is for — never a token or secret.
enum StatusCommand {
    static let help = """
        Usage: oauth-relay status [--json] [--setting value ...]

        Shows the token store in use and why it was chosen, and for each stored sign-in: the
        issuer, resource, client, subject and scopes (from the token response or the access
        token's claims, not verified) and the expiry in local time. Never shows a token.

          --json       the same as one JSON object on standard output
          -h, --help   this help

        Exit status: 0 shown, 1 the store cannot be read, 2 usage or configuration error.

        """

    static func run(arguments: [String], settings: [String: String]) async -> Int32 {
        let options: CommandOptions
        switch CommandOptions.prepare(arguments, command: "status", allowed: ["--json"], help: help) {
        case .success(let parsed): options = parsed
        case .failure(let stop): return stop.status
        }
        do {
            let command = try CommandContext(settings: settings, command: "status", needsBackend: false)
            let summaries = try command.store.entries().map { TokenSummary(key: $0.key, tokens: $0.tokens) }
                .sorted { ($0.issuer, $0.resource, $0.clientID) < ($1.issuer, $1.resource, $1.clientID) }
            if options.has("--json") {
                Terminal.output(try json(command, summaries) + "\n")
            } else {
                Terminal.output(text(command, summaries))
            }
            return 0
        } catch CommandContext.Exit.status(let status) {
            return status
        } catch {
            Terminal.show("oauth-relay status: cannot read the token store: \(error)\n")
            return 1
        }
    }

    static func text(_ command: CommandContext, _ summaries: [TokenSummary], now: Date = Date()) -> String {
        var text = "Token store: \(command.store.name) (\(command.storeReason))\n"
        if summaries.isEmpty { return text + "No stored sign-ins. Run oauth-relay login to sign in.\n" }
        for summary in summaries {
            text += "\n\(summary.issuer)\n"
            text += "  resource:      \(summary.resource.isEmpty ? "(none)" : summary.resource)\n"
            text += "  client:        \(summary.clientID)\n"
            text += "  subject:       \(summary.subject ?? "(unknown)")\n"
            text += "  scopes:        \(summary.scopes.isEmpty ? "(none)" : summary.scopes.joined(separator: " "))\n"
            let expiry = summary.expiresAt.map { date in
                TokenSummary.localTime(date) + (date <= now ? " (expired)" : "")
            }
            text += "  expires:       \(expiry ?? "unknown")\n"
            text += "  refresh token: \(summary.hasRefreshToken ? "yes" : "no")\n"
        }
        return text
    }

    static func json(_ command: CommandContext, _ summaries: [TokenSummary], now: Date = Date()) throws -> String {
        let entries: [JSONValue] = summaries.map { summary in
            var entry: [String: JSONValue] = [
                "issuer": .string(summary.issuer), "resource": .string(summary.resource),
                "client_id": .string(summary.clientID), "scopes": .array(summary.scopes.map { .string($0) }),
                "refresh_token": .bool(summary.hasRefreshToken),
            ]
            entry["subject"] = summary.subject.map { .string($0) } ?? .null
            entry["expires_at"] = summary.expiresAt.map { .string(TokenSummary.localTime($0, iso8601: true)) } ?? .null
            entry["expired"] = summary.expiresAt.map { .bool($0 <= now) } ?? .null
            return .object(entry)
        }
        let document: JSONValue = [
            "store": ["backend": .string(command.store.name), "reason": .string(command.storeReason)],
            "entries": .array(entries),
        ]
        return document.description
    }
}
