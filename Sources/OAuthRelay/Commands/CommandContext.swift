import FoundationEssentials

/// What every subcommand shares with the relay: the same settings, token store and HTTP client.
struct CommandContext: Sendable {
    let configuration: RelayConfiguration
    let store: any TokenStore
    /// Why this store was chosen (`auto` explains its choice).
    let storeReason: String
    let http: HTTPClient
    let logger: Logger

    /// How a subcommand ends: the exit status, after its messages were written.
    enum Exit: Error { case status(Int32) }

    /// Reads the configuration and opens the store, reporting problems as the relay does.
    /// - Parameter needsBackend: false for commands that only read the store (`status`,
    ///   `logout --all`), which then run without RELAY_BACKEND_URL.
    /// - Throws: `Exit.status(2)` for a configuration or store setting error (already reported).
    init(settings: [String: String], command: String, needsBackend: Bool = true) throws(Exit) {
        for name in Settings.unknownNames(in: settings) {
            Terminal.show("oauth-relay \(command): warning: \(Settings.unknownNameWarning(name))\n")
        }
        var settings = settings
        if !needsBackend, (settings["RELAY_BACKEND_URL"] ?? "").trimmingWhitespace().isEmpty {
            // Never contacted: these commands reach only the servers named by stored entries.
            settings["RELAY_BACKEND_URL"] = "http://127.0.0.1"
        }
        do {
            configuration = try RelayConfiguration(settings: settings)
            let chosen = try makeTokenStore(settings: settings)
            store = chosen.store
            storeReason = chosen.reason
        } catch {
            Terminal.show("oauth-relay \(command): \(error)\n")
            throw .status(2)
        }
        // Commands talk to a person: only warnings and errors unless a level is asked for.
        let level = settings["RELAY_LOG_LEVEL"] == nil ? LogLevel.warning : configuration.logLevel
        logger = Logger(level: level)
        http = HTTPClient(timeout: configuration.httpTimeout, caFile: configuration.caFile)
    }

    /// The relay's discovery (and, without RELAY_CLIENT_ID, registration), so tokens are stored
    /// under the key a relay with the same settings uses.
    func authorizationContext() async throws -> AuthorizationContext {
        try await Authorizer(configuration: configuration, store: store, http: http, logger: logger)
            .authorizationContext(challenge: nil)
    }

    /// The scope to ask for, chosen exactly as the relay chooses it for a sign-in.
    func scope(_ context: AuthorizationContext) -> String? {
        ClientSetup.scope(configuration: configuration, challenge: nil, context: context)
    }
}
