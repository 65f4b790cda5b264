import FoundationEssentials

/// Which token store to use and how to reach it, read from the environment.
///
/// Reading the configuration touches no file and no bus; secrets (passphrase and key files) are
/// read only when the encrypted store is actually chosen.
public struct StoreConfiguration: Sendable {
    /// A backend name as given in `RELAY_TOKEN_STORE`.
    public enum Backend: String, Sendable, CaseIterable {
        case auto
        case secretService = "secret-service"
        case encryptedFile = "encrypted-file"
        case plaintext
    }

    public var backend: Backend
    /// `$XDG_CONFIG_HOME/oauth-relay`, or `~/.config/oauth-relay`.
    public var configDirectory: String
    /// `RELAY_TOKEN_PATH`: the file of whichever file backend is used.
    public var tokenPath: String?
    /// Secret Service settings; `lockDirectory` is also used for the keyring's per-key locks.
    public var keyring: SecretServiceStore.Options
    let environment: [String: String]

    /// Reads `RELAY_TOKEN_STORE` (auto|secret-service|encrypted-file|plaintext; default auto),
    /// `RELAY_TOKEN_PATH`, `XDG_CONFIG_HOME`/`HOME`, `RELAY_SECRET_COLLECTION`,
    /// `RELAY_KEYRING_TIMEOUT`, `DBUS_SESSION_BUS_ADDRESS` and `XDG_RUNTIME_DIR`; passphrase and
    /// key settings are read by `encryptionSecret()`.
    /// - Throws: `TokenStoreError.Code.misconfigured` for an invalid value.
    public init(environment: [String: String]) throws {
        self.environment = environment
        // Spaces around the value are forgiven; spaces inside it are not.
        let words = environment["RELAY_TOKEN_STORE"]?.split(whereSeparator: \.isWhitespace) ?? []
        let name = words.count > 1 ? environment["RELAY_TOKEN_STORE"] : words.first.map { $0.lowercased() }
        if let name, !name.isEmpty {
            guard let backend = Backend(rawValue: name) else {
                throw TokenStoreError(
                    .misconfigured,
                    "RELAY_TOKEN_STORE=\(environment["RELAY_TOKEN_STORE"] ?? "") is not a store backend; "
                        + "use auto, secret-service, encrypted-file or plaintext")
            }
            self.backend = backend
        } else {
            backend = .auto
        }
        configDirectory = try Self.configDirectory(environment)
        if let path = environment["RELAY_TOKEN_PATH"], !path.isEmpty {
            guard path.hasPrefix("/") else {
                throw TokenStoreError(.misconfigured, "RELAY_TOKEN_PATH=\(path) must be an absolute path")
            }
            tokenPath = path
        }
        let runtime = environment["XDG_RUNTIME_DIR"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        keyring = SecretServiceStore.Options(
            busAddress: environment["DBUS_SESSION_BUS_ADDRESS"],
            collection: environment["RELAY_SECRET_COLLECTION"].flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            timeout: try Self.timeout(environment["RELAY_KEYRING_TIMEOUT"]),
            lockDirectory: runtime.map { "\($0)/oauth-relay/locks" } ?? "\(configDirectory)/locks")
    }

    /// The same configuration with another backend (for `store migrate --to`).
    public func with(backend: Backend) -> StoreConfiguration {
        var copy = self
        copy.backend = backend
        return copy
    }

    public var plaintextPath: String { tokenPath ?? "\(configDirectory)/tokens.json" }
    public var encryptedPath: String { tokenPath ?? "\(configDirectory)/tokens.enc" }

    private static func configDirectory(_ environment: [String: String]) throws -> String {
        // The XDG spec says relative values are invalid and must be ignored.
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return "\(base)/oauth-relay" }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw TokenStoreError(
                .misconfigured, "neither XDG_CONFIG_HOME nor HOME is set; set RELAY_TOKEN_PATH to an absolute path")
        }
        return "\(home)/.config/oauth-relay"
    }

    private static func timeout(_ text: String?) throws -> Double {
        guard let text, !text.isEmpty else { return 5 }
        guard let seconds = Double(text), seconds > 0, seconds <= 300 else {
            throw TokenStoreError(
                .misconfigured, "RELAY_KEYRING_TIMEOUT=\(text) must be a number of seconds between 0 and 300")
        }
        return seconds
    }
}
