import FoundationEssentials
import Glibc

/// `oauth-relay serve`: the stdio MCP server an MCP host starts.
public enum RelayService {
    /// Runs until stdin ends or SIGTERM/SIGINT. Returns the process exit status.
    public static func serve(settings: [String: String]) async -> Int32 {
        // stdout is the protocol stream. Keep a private descriptor for it and point fd 1 at
        // stderr, so a stray write by any library or child process cannot corrupt the stream.
        let protocolFD = fcntl(1, F_DUPFD_CLOEXEC, 3)
        guard protocolFD >= 0 else {
            Logger.standardError("oauth-relay error: cannot set up standard output\n")
            return 1
        }
        dup2(2, 1)

        let configuration: RelayConfiguration
        do {
            configuration = try RelayConfiguration(settings: settings)
        } catch {
            Logger.standardError("oauth-relay: \(error)\n")
            return 2
        }
        let logger = Logger(level: configuration.logLevel)
        for name in Settings.unknownNames(in: settings) { logger.warning(Settings.unknownNameWarning(name)) }
        let store: any TokenStore
        do {
            let chosen = try makeTokenStore(settings: settings)
            store = chosen.store
            logger.info("token store: \(chosen.store.name) (\(chosen.reason))")
        } catch {
            Logger.standardError("oauth-relay: \(error)\n")
            return 2
        }

        let backendProtocol: BackendProtocol
        do {
            backendProtocol = try BackendProtocol(settings: settings, backendURL: configuration.backendURL)
        } catch {
            Logger.standardError("oauth-relay: \(error)\n")
            return 2
        }

        let http = HTTPClient(timeout: configuration.httpTimeout, caFile: configuration.caFile)
        let writer = MessageWriter(fd: protocolFD)
        let authorizer = Authorizer(configuration: configuration, store: store, http: http, logger: logger)
        let session: any HostSession
        switch backendProtocol {
        case .rest:
            let relay = ToolRelay(
                backend: RESTBackend(baseURL: configuration.backendURL, http: http),
                authorizer: authorizer, logger: logger)
            session = StdioSession(
                server: MCPServer(relay: relay, logger: logger), writer: writer,
                logger: logger)
        case .mcp:
            session = ProxySession.make(
                configuration: configuration, authorizer: authorizer, writer: writer,
                logger: logger)
        }

        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { signal in
            logger.info("received signal \(signal); shutting down")
            session.cancelAll()
            session.endUpstreamSession()
            // The last message goes out whole, if the host still reads; the callback listener
            // and connections close with the process.
            writer.flush(timeout: .milliseconds(500))
            exit(0)
        }
        defer { signals.cancel() }
        logger.debug(
            "serving MCP on stdio",
            [
                "relay.backend": configuration.backendURL.absoluteString, "relay.protocol": backendProtocol.rawValue,
            ])
        await session.run(inputFD: 0)
        writer.flush(timeout: .seconds(1))
        return 0
    }
}

/// Chooses the token store from the settings (`RELAY_TOKEN_STORE` and friends).
func makeTokenStore(settings: [String: String]) throws -> (store: any TokenStore, reason: String) {
    try TokenStoreFactory.make(StoreConfiguration(environment: settings))
}
