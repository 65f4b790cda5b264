/// `oauth-relay-dev-server --help`.
enum HelpText {
    static let text = """
        Usage: oauth-relay-dev-server [options]

        A development OAuth 2.1 authorization server and example MCP backend for oauth-relay:
        the REST form at /mcp/tools and a Streamable HTTP MCP server at /mcp.
        Everything is kept in memory; it listens on loopback only unless told otherwise.

        Options:
          --host ADDRESS                 numeric address to listen on (default 127.0.0.1)
          --port N                       port; 0 lets the system choose (default 0)
          --port-file PATH               write the bound port to PATH once listening
          --roles as|backend|both        what to run (default both)
          --issuer-path PATH             issuer = base URL + PATH, e.g. /tenant-a (RFC 8414 §3.1)
          --issuer URL                   explicit issuer; in backend mode the issuer tokens must carry
          --access-token-lifetime SECS   access token lifetime (default 3600)
          --refresh-token-lifetime SECS  refresh token lifetime (default 2592000, 30 days)
          --code-lifetime SECS           authorization code lifetime (default 60)
          --auto-approve USER            approve every sign-in as USER without showing a page,
                                 device codes included (approved at the first poll)
          --client ID                    pre-register another public client (repeatable);
                                         oauth-relay is always registered
          --scopes "A B"                 scopes_supported (default "notes:read notes:write")
          --resource URI                 the backend's resource URI (default: the base URL); its
                                         MCP endpoint's is URI/mcp
          --mcp-responses json|sse       how the MCP endpoint /mcp answers (default json)
          --device-interval SECS         device grant polling interval (default 5)
          --device-code-lifetime SECS    device code lifetime (default 600)
          --metadata-variant NAME        serve misbehaving metadata on purpose; NAME is one of
                                         \(variants)
          --test-controls                enable the /_test/ endpoints (tests and demos only)
          --quiet                        no request log
          -h, --help                     show this help

        Environment:
          JWT_SECRET       HS256 key shared with backends (default: 32 random bytes per run)
          AUTH_SERVER_URL  with --roles backend: the issuer tokens must carry

        Logs one line per request on stderr (method, path, status, duration) and prints
        "listening on http://HOST:PORT" once ready. SIGINT or SIGTERM stops it cleanly.
        """

    private static var variants: String {
        MetadataVariantNames.all
    }
}
