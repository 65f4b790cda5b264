import FoundationEssentials

/// `oauth-relay login`: sign in from a terminal and store the tokens where every relay with the
/// same settings finds them.
enum LoginCommand {
    static let help = """
        Usage: oauth-relay login [--device | --no-browser] [--setting value ...]

        Signs in from a terminal and stores the tokens in the relay's token store, under the same
        key a relay with the same settings uses; a running relay picks them up on its next call.

          (no option)    open the browser (RELAY_BROWSER) and wait for the loopback redirect;
                         the URL is printed too, for when no browser opens
          --device       device authorization grant (RFC 8628): shows a code and a URL to open
                         on any device, then waits for approval
          --no-browser   prints the sign-in URL, then reads the final redirect URL pasted here
          -h, --help     this help

        Settings are the relay's (see oauth-relay --help), e.g. RELAY_BACKEND_URL,
        RELAY_AUTH_SERVER_URL, RELAY_CLIENT_ID, RELAY_SCOPES, RELAY_TOKEN_STORE.
        Exit status: 0 signed in, 1 sign-in failed, 2 usage or configuration error.

        """

    static func run(arguments: [String], settings: [String: String]) async -> Int32 {
        let options: CommandOptions
        switch CommandOptions.prepare(
            arguments, command: "login", allowed: ["--device", "--no-browser"],
            exclusive: [["--device", "--no-browser"]], help: help)
        {
        case .success(let parsed): options = parsed
        case .failure(let stop): return stop.status
        }
        do {
            let command = try CommandContext(settings: settings, command: "login")
            // A store that cannot be read (wrong passphrase, locked keyring) fails now, not after
            // the user has finished the sign-in in the browser.
            _ = try command.store.entries()
            var context = try await command.authorizationContext()
            let tokens: TokenSet
            do {
                tokens = try await signIn(options, command, context)
            } catch let error as OAuthError where error.code == .invalidClient && command.configuration.clientID == nil
            {
                // The server forgot the client it registered for us (a restart): register once more.
                Terminal.show("The authorization server no longer knows this relay's client; registering again.\n")
                try command.store.clearClient(issuer: context.metadata.issuer)
                context = try await command.authorizationContext()
                tokens = try await signIn(options, command, context)
            }
            do {
                try command.store.save(tokens, for: context.key)
            } catch {
                Terminal.show("oauth-relay login: signed in, but the tokens could not be stored: \(error)\n")
                return 1
            }
            let summary = TokenSummary(key: context.key, tokens: tokens)
            let who = summary.subject.map { " as \($0)" } ?? ""
            Terminal.show(
                "Signed in to \(context.metadata.issuer)\(who). Tokens stored in the "
                    + "\(command.store.name) store; relays with these settings use them from their next call.\n")
            return 0
        } catch CommandContext.Exit.status(let status) {
            return status
        } catch {
            Terminal.show("\noauth-relay login: \(error)\n")
            return 1
        }
    }

    private static func signIn(_ options: CommandOptions, _ command: CommandContext, _ context: AuthorizationContext)
        async throws -> TokenSet
    {
        if options.has("--device") { return try await device(command, context) }
        if options.has("--no-browser") { return try await pasteBack(command, context) }
        return try await browser(command, context)
    }

    private static func device(_ command: CommandContext, _ context: AuthorizationContext) async throws -> TokenSet {
        let flow = DeviceAuthorization(http: command.http, context: context)
        let started = try await flow.start(scope: command.scope(context))
        var text =
            "To sign in, open \(started.verificationURI) on any device and enter the code\n\n"
            + "    \(started.userCode)\n\n"
        if let complete = started.verificationURIComplete {
            text += "or open this URL, which carries the code:\n\n    \(complete)\n\n"
        }
        text += "The code expires in \(Int(started.expiresIn / 60)) minutes.\n"
        Terminal.show(text)
        let progress = ProgressIndicator(message: "Waiting for approval")
        defer { progress.stop() }
        return try await flow.poll(started, scope: command.scope(context)) { interval in
            progress.message = "Waiting for approval (checking every \(Int(interval)) s)"
            command.logger.debug("polling the token endpoint", ["oauth.interval": "\(Int(interval))"])
        }
    }

    private static func pasteBack(_ command: CommandContext, _ context: AuthorizationContext) async throws
        -> TokenSet
    {
        let flow = PasteBack(
            configuration: command.configuration, context: context, http: command.http, logger: command.logger,
            readLine: { Terminal.readLine() }, show: { Terminal.show($0) })
        let timeout =
            command.configuration.settings["RELAY_AUTH_TIMEOUT"] == nil
            ? 900 : command.configuration.authTimeout
        return try await flow.run(scope: command.scope(context), timeout: timeout)
    }

    private static func browser(_ command: CommandContext, _ context: AuthorizationContext) async throws -> TokenSet {
        var configuration = command.configuration
        if configuration.browserMode == .headless {
            configuration.browser = nil
            Terminal.show(
                "No browser can be opened here; open the URL below in a browser on this machine, "
                    + "or use oauth-relay login --device or --no-browser.\n")
        }
        // The sign-in URL is logged at info level: show it whatever RELAY_LOG_LEVEL says.
        let progress = ProgressIndicator(message: "Waiting for the sign-in in the browser")
        let logger = Logger(level: max(command.logger.level, .info)) { progress.interrupt(with: $0) }
        defer { progress.stop() }
        let signIn = SignIn(configuration: configuration, context: context, http: command.http, logger: logger)
        return try await signIn.run(scope: command.scope(context))
    }
}
