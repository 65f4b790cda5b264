import FoundationEssentials

/// Builds the configured token store. A backend named explicitly never falls back to another;
/// only `auto` chooses, and it says why.
public enum TokenStoreFactory {
    /// Returns the store and a one-line human reason for the choice (the relay logs it at info).
    /// - Throws: `TokenStoreError` when the named backend cannot be set up (e.g. no passphrase for
    ///   `encrypted-file`), never by choosing a different backend instead.
    public static func make(_ configuration: StoreConfiguration) throws -> (store: any TokenStore, reason: String) {
        switch configuration.backend {
        case .plaintext:
            let path = configuration.plaintextPath
            return (PlaintextFileStore(path: path), "RELAY_TOKEN_STORE=plaintext: tokens in \(path) (mode 0600)")
        case .encryptedFile:
            guard let secret = try configuration.encryptionSecret() else { throw noSecret }
            let path = configuration.encryptedPath
            return (
                EncryptedFileStore(path: path, secret: secret),
                "RELAY_TOKEN_STORE=encrypted-file: tokens in \(path) (AES-256-GCM, key from \(secret.source))"
            )
        case .secretService:
            return (
                SecretServiceStore(options: configuration.keyring),
                "RELAY_TOKEN_STORE=secret-service: tokens in the keyring (collection "
                    + "\(configuration.keyring.collection))"
            )
        case .auto:
            return try automatic(configuration)
        }
    }

    /// secret-service if it answers (a locked keyring counts: the user is told to unlock it), else
    /// encrypted-file if a key or passphrase is configured, else plaintext.
    private static func automatic(
        _ configuration: StoreConfiguration
    ) throws -> (store: any TokenStore, reason: String) {
        let keyring = SecretServiceStore(options: configuration.keyring)
        let skipped: String
        do {
            try keyring.probe()
            return (
                keyring,
                "auto: the Secret Service keyring answered; tokens in collection "
                    + "\(configuration.keyring.collection)"
            )
        } catch let error as TokenStoreError where error.code == .locked {
            return (
                keyring,
                "auto: the Secret Service keyring answered but is locked; tokens go to collection "
                    + "\(configuration.keyring.collection) once it is unlocked"
            )
        } catch let error as TokenStoreError {
            skipped = "keyring unavailable (\(error.code.rawValue))"
        }
        if let secret = try configuration.encryptionSecret() {
            let path = configuration.encryptedPath
            return (
                EncryptedFileStore(path: path, secret: secret),
                "auto: \(skipped); \(secret.source) is set, so tokens go to \(path) (AES-256-GCM)"
            )
        }
        let path = configuration.plaintextPath
        return (
            PlaintextFileStore(path: path),
            "auto: \(skipped) and no passphrase or key configured; tokens go to \(path) (plaintext, mode 0600); "
                + "set RELAY_TOKEN_PASSPHRASE_FILE to encrypt them"
        )
    }

    static let noSecret = TokenStoreError(
        .noPassphrase,
        "no passphrase configured for RELAY_TOKEN_STORE=encrypted-file; set RELAY_TOKEN_PASSPHRASE_FILE (or "
            + "RELAY_TOKEN_PASSPHRASE, the systemd credential \(StoreConfiguration.credentialName), or "
            + "RELAY_TOKEN_KEY_FILE)")
}
