import FoundationEssentials
import RelayCrypto

extension StoreConfiguration {
    /// The systemd credential name read from `$CREDENTIALS_DIRECTORY` (`LoadCredential=` or
    /// `SetCredentialEncrypted=` in the unit).
    public static let credentialName = "oauth-relay-token-passphrase"

    /// The encrypted store's key material, or nil when none is configured.
    ///
    /// Precedence: `RELAY_TOKEN_KEY_FILE` (32 raw bytes or 64 hex digits), then
    /// `RELAY_TOKEN_PASSPHRASE_FILE` (one trailing `\n` or `\r\n` stripped), then
    /// `RELAY_TOKEN_PASSPHRASE`, then the systemd credential. A set but empty passphrase is refused.
    /// Key and passphrase files must belong to the user and not be readable by others.
    public func encryptionSecret() throws -> EncryptionSecret? {
        if let path = nonEmpty("RELAY_TOKEN_KEY_FILE") {
            var bytes = try readSecretFile(path, setting: "RELAY_TOKEN_KEY_FILE", checked: true)
            defer { SecureZero.wipe(&bytes) }
            return try EncryptionSecret(key: EncryptionSecret.keyFileContent(bytes), source: "RELAY_TOKEN_KEY_FILE")
        }
        if let path = nonEmpty("RELAY_TOKEN_PASSPHRASE_FILE") {
            var bytes = try readSecretFile(path, setting: "RELAY_TOKEN_PASSPHRASE_FILE", checked: true)
            defer { SecureZero.wipe(&bytes) }
            return try EncryptionSecret(
                passphrase: EncryptionSecret.passphraseFileContent(bytes), source: "RELAY_TOKEN_PASSPHRASE_FILE")
        }
        if let passphrase = environment["RELAY_TOKEN_PASSPHRASE"] {
            return try EncryptionSecret(passphrase: Array(passphrase.utf8), source: "RELAY_TOKEN_PASSPHRASE")
        }
        if let directory = nonEmpty("CREDENTIALS_DIRECTORY") {
            let path = "\(directory)/\(Self.credentialName)"
            // systemd owns the credential files and sets their access; no owner check here.
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            var bytes = try readSecretFile(path, setting: "the systemd credential", checked: false)
            defer { SecureZero.wipe(&bytes) }
            return try EncryptionSecret(
                passphrase: EncryptionSecret.passphraseFileContent(bytes),
                source: "systemd credential \(Self.credentialName)")
        }
        return nil
    }

    /// A one-line description of where the secret would come from, without reading it.
    var secretSetting: String? {
        for name in ["RELAY_TOKEN_KEY_FILE", "RELAY_TOKEN_PASSPHRASE_FILE"] where nonEmpty(name) != nil { return name }
        if environment["RELAY_TOKEN_PASSPHRASE"] != nil { return "RELAY_TOKEN_PASSPHRASE" }
        if let directory = nonEmpty("CREDENTIALS_DIRECTORY"),
            FileManager.default.fileExists(atPath: "\(directory)/\(Self.credentialName)")
        {
            return "systemd credential \(Self.credentialName)"
        }
        return nil
    }

    private func nonEmpty(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func readSecretFile(_ path: String, setting: String, checked: Bool) throws -> [UInt8] {
        let bytes: [UInt8]?
        if checked {
            bytes = try SecureFile.read(path, setting: setting)
        } else {
            bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        }
        guard let bytes else {
            throw TokenStoreError(.noPassphrase, "\(setting)=\(path) does not exist")
        }
        return bytes
    }
}
