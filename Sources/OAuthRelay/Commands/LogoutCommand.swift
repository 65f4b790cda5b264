import FoundationEssentials

/// `oauth-relay logout [--all]`: revoke the stored tokens at the server (RFC 7009) and delete
/// them locally — locally even when revocation fails.
enum LogoutCommand {
    static let help = """
        Usage: oauth-relay logout [--all] [--setting value ...]

        Revokes the stored refresh token, then the access token, at the authorization server
        (RFC 7009), and deletes the stored sign-in. The local entry is deleted even when the server
        cannot be reached; the command then says so.

          (no option)  the sign-in for these settings (RELAY_AUTH_SERVER_URL or the server the
                       backend names, RELAY_RESOURCE, and RELAY_CLIENT_ID when set)
          --all        every sign-in in the token store, and every client registration
          -h, --help   this help

        Exit status: 0 signed out (also when revocation failed: the local entry is gone),
        1 the store cannot be read or changed, 2 usage or configuration error.

        """

    static func run(arguments: [String], settings: [String: String]) async -> Int32 {
        let options: CommandOptions
        switch CommandOptions.prepare(arguments, command: "logout", allowed: ["--all"], help: help) {
        case .success(let parsed): options = parsed
        case .failure(let stop): return stop.status
        }
        do {
            let command = try CommandContext(
                settings: settings, command: "logout", needsBackend: !options.has("--all"))
            var entries = try command.store.entries()
            if !options.has("--all") {
                let resource = command.configuration.resource ?? ""
                let wanted = try await issuer(command, entries: entries, resource: resource)
                entries = entries.filter { entry in
                    entry.key.issuer == wanted && entry.key.resource == resource
                        && (command.configuration.clientID.map { $0 == entry.key.clientID } ?? true)
                }
                if entries.isEmpty {
                    Terminal.show(
                        "Not signed in to \(wanted) for \(resource.isEmpty ? "(no resource)" : resource); "
                            + "nothing to do. oauth-relay status lists the stored sign-ins.\n")
                    return 0
                }
            }
            for entry in entries {
                await revoke(entry.key, entry.tokens, command)
                try command.store.clear(entry.key)
                Terminal.show("Deleted the stored sign-in for \(entry.key).\n")
            }
            if options.has("--all") {
                // Dynamic registrations go too, so a server that forgot the client starts afresh.
                try command.store.clearAllClients()
                Terminal.show(
                    (entries.isEmpty ? "The token store holds no sign-ins. " : "")
                        + "Client registrations are forgotten; the next sign-in registers anew.\n")
            }
            return 0
        } catch CommandContext.Exit.status(let status) {
            return status
        } catch {
            Terminal.show("oauth-relay logout: \(error)\n")
            return 1
        }
    }

    /// The issuer these settings sign in to: configured, else named by the backend (RFC 9728).
    /// A stored sign-in for this resource names its issuer, so signing out needs no network when
    /// there is exactly one; only an ambiguous store asks the backend.
    private static func issuer(
        _ command: CommandContext, entries: [(key: TokenKey, tokens: TokenSet)],
        resource: String
    ) async throws -> String {
        if let configured = command.configuration.authServerURL { return configured.absoluteString }
        let issuers = Set(entries.filter { $0.key.resource == resource }.map(\.key.issuer))
        if issuers.count == 1, let only = issuers.first { return only }
        let discovery = Discovery(http: command.http, logger: command.logger)
        return try await discovery.protectedResource(backend: command.configuration.backendURL, challenge: nil)
            .authorizationServer.absoluteString
    }

    /// Revokes both tokens if the server has a revocation endpoint; reports, never throws.
    private static func revoke(_ key: TokenKey, _ tokens: TokenSet, _ command: CommandContext) async {
        let endpoint: URL
        do {
            guard let issuer = URL(string: key.issuer) else { throw OAuthError(.discovery, "invalid issuer") }
            let metadata = try await Discovery(http: command.http, logger: command.logger)
                .authorizationServerMetadata(issuer: issuer)
            guard let revocation = metadata.revocationEndpoint else {
                Terminal.show(
                    "\(key.issuer) offers no revocation endpoint; the tokens stay valid there until "
                        + "they expire. ")
                return
            }
            endpoint = revocation
        } catch {
            Terminal.show(
                "Could not reach \(key.issuer) to revoke the tokens (\(error)); they stay valid there "
                    + "until they expire. ")
            return
        }
        let results = await Revocation(http: command.http, endpoint: endpoint, clientID: key.clientID).revoke(tokens)
        for (kind, result) in results {
            switch result {
            case .revoked:
                Terminal.show("Revoked the \(kind) at \(key.issuer).\n")
            case .failed(let reason):
                Terminal.show("Could not revoke the \(kind) (\(reason)); it stays valid until it expires.\n")
            }
        }
    }
}
