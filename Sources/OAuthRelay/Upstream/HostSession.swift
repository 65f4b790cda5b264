/// The stdio side of the relay as `RelayService` drives it: REST mode answers the host itself
/// (`StdioSession`), MCP mode forwards everything upstream (`ProxySession`).
protocol HostSession: Sendable {
    /// Serves until the input on `inputFD` ends.
    func run(inputFD: Int32) async
    /// Cancels everything in flight (SIGTERM).
    func cancelAll()
    /// Ends the upstream session, if there is one, waiting briefly (SIGTERM, just before exit).
    func endUpstreamSession()
}

extension StdioSession: HostSession {
    func endUpstreamSession() {}
}

extension ProxySession: HostSession {
    /// A proxy for `configuration.backendURL` with its own streaming connection pool.
    static func make(
        configuration: RelayConfiguration, authorizer: Authorizer, writer: MessageWriter,
        logger: Logger
    ) -> ProxySession {
        let transport = StreamableHTTPTransport(
            endpoint: configuration.backendURL,
            http: StreamingHTTPClient(timeout: configuration.httpTimeout, caFile: configuration.caFile))
        let upstream = UpstreamSession(transport: transport, authorizer: authorizer, logger: logger)
        return ProxySession(upstream: upstream, writer: writer, logger: logger)
    }
}
