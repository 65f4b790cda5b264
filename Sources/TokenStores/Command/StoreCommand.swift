import FoundationEssentials

/// `oauth-relay store list` and `oauth-relay store migrate --to BACKEND [--from BACKEND]`.
///
/// Never prints a token: `list` shows issuer, client, resource, expiry and whether a refresh
/// token is held.
public enum StoreCommand {
    static let usage = """
        usage: oauth-relay store list
               oauth-relay store migrate --to BACKEND [--from BACKEND] [--to-path FILE]
        BACKEND is secret-service, encrypted-file or plaintext; the source defaults to RELAY_TOKEN_STORE.
        --to-path gives a file destination its own file when RELAY_TOKEN_PATH names the source's.
        """

    /// `oauth-relay store list` / `oauth-relay store migrate --to BACKEND`; returns the exit
    /// status (0 ok, 1 failure, 2 usage).
    public static func run(
        arguments: [String], environment: [String: String],
        output: (String) -> Void, errorOutput: (String) -> Void
    ) -> Int32 {
        do {
            let configuration = try StoreConfiguration(environment: environment)
            if arguments.contains("--help") || arguments.contains("-h") {
                output(usage)
                return 0
            }
            switch arguments.first {
            case "list" where arguments.count == 1:
                try list(configuration, output: output)
                return 0
            case "migrate":
                let options: MigrateOptions
                do {
                    options = try MigrateOptions(Array(arguments.dropFirst()))
                } catch {
                    errorOutput("oauth-relay store migrate: \(error.description)\n\(usage)")
                    return 2
                }
                var destination = configuration
                if let path = options.toPath {
                    var changed = environment
                    changed["RELAY_TOKEN_PATH"] = path
                    destination = try StoreConfiguration(environment: changed)
                }
                try migrate(configuration, to: destination, options, output: output)
                return 0
            default:
                break
            }
            errorOutput(usage)
            return 2
        } catch let error as TokenStoreError {
            errorOutput("oauth-relay store: \(error.message)")
            return 1
        } catch {
            errorOutput("oauth-relay store: \(error)")
            return 1
        }
    }

    static func list(_ configuration: StoreConfiguration, output: (String) -> Void) throws {
        let (store, reason) = try TokenStoreFactory.make(configuration)
        output("# \(reason)")
        let entries = try store.entries()
        if entries.isEmpty { output("no stored tokens in \(store.location)") }
        for (key, tokens) in entries {
            let expiry = tokens.expiresAt.map { $0.formatted(.iso8601) } ?? "unknown"
            let resource = key.resource.isEmpty ? "-" : key.resource
            output(
                "issuer=\(key.issuer)\tclient=\(key.clientID)\tresource=\(resource)"
                    + "\texpires=\(expiry)\trefresh_token=\(tokens.refreshToken == nil ? "no" : "yes")")
        }
    }

    /// Copies every entry, reads each back from the destination and compares, and only then
    /// deletes the source entries. A failure before the last step leaves the source untouched.
    static func migrate(
        _ configuration: StoreConfiguration, to destinationConfiguration: StoreConfiguration,
        _ options: MigrateOptions, output: (String) -> Void
    ) throws {
        let source = try TokenStoreFactory.make(configuration.with(backend: options.from ?? configuration.backend))
        let destination = try TokenStoreFactory.make(destinationConfiguration.with(backend: options.to))
        guard source.store.location != destination.store.location else {
            let detail =
                source.store.name == destination.store.name
                ? "source and destination are the same store (\(source.store.location))"
                : "\(source.store.name) and \(destination.store.name) would both use \(source.store.location) "
                    + "(RELAY_TOKEN_PATH); give the destination its own file with --to-path FILE"
            throw TokenStoreError(.misconfigured, detail)
        }
        let entries = try source.store.entries()
        for (key, tokens) in entries {
            try destination.store.save(tokens, for: key)
            guard try destination.store.load(key) == tokens else {
                throw TokenStoreError(
                    .io,
                    "the entry for \(key) did not read back unchanged from \(destination.store.name); "
                        + "nothing was deleted from \(source.store.name)")
            }
        }
        for (key, _) in entries { try source.store.clear(key) }
        output(
            "migrated \(entries.count) entr\(entries.count == 1 ? "y" : "ies") from \(source.store.name) "
                + "(\(source.store.location)) to \(destination.store.name) (\(destination.store.location))")
    }
}

/// `--to BACKEND [--from BACKEND] [--to-path FILE]`; `auto` is not a valid backend here.
struct MigrateOptions {
    var to: StoreConfiguration.Backend
    var from: StoreConfiguration.Backend?
    var toPath: String?

    /// A usage error naming the argument at fault.
    struct UsageError: Error {
        let description: String
    }

    init(_ arguments: [String]) throws(UsageError) {
        var to: StoreConfiguration.Backend?
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard ["--to", "--from", "--to-path"].contains(flag) else {
                throw UsageError(description: "unknown argument \(flag)")
            }
            guard let value = remaining.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            if flag == "--to-path" {
                toPath = value
                continue
            }
            guard let backend = StoreConfiguration.Backend(rawValue: value), backend != .auto else {
                throw UsageError(
                    description: "\(value) is not a store backend; use secret-service, encrypted-file or plaintext")
            }
            if flag == "--to" { to = backend } else { from = backend }
        }
        guard let to else { throw UsageError(description: "--to BACKEND is required") }
        self.to = to
    }
}
