import FoundationEssentials
import RelayCrypto

/// What the encrypted store's key comes from: a passphrase (through scrypt) or a raw 32-byte key.
///
/// `description` never shows the secret.
public struct EncryptionSecret: Sendable, CustomStringConvertible {
    enum Material: Sendable {
        case passphrase([UInt8])
        case key([UInt8])
    }

    let material: Material
    /// Where the secret came from, for messages, e.g. `RELAY_TOKEN_PASSPHRASE_FILE=/path`.
    public let source: String

    /// A passphrase; an empty one is refused rather than treated as "not set" (CASES 19).
    public init(passphrase: [UInt8], source: String) throws {
        guard !passphrase.isEmpty else {
            throw TokenStoreError(
                .noPassphrase, "the passphrase from \(source) is empty; an empty passphrase is refused")
        }
        material = .passphrase(passphrase)
        self.source = source
    }

    /// A raw AES-256 key of exactly 32 bytes.
    public init(key: [UInt8], source: String) throws {
        guard key.count == AESGCM.keySize else {
            throw TokenStoreError(
                .misconfigured,
                "the key from \(source) has \(key.count) bytes; it must be exactly 32 bytes "
                    + "(or 64 hex digits), e.g. `openssl rand -out KEYFILE 32`")
        }
        material = .key(key)
        self.source = source
    }

    /// Removes one trailing `\n` or `\r\n` from a passphrase file's content, the documented rule:
    /// editors and `echo` add one, and it is never part of the passphrase.
    public static func passphraseFileContent(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.last == UInt8(ascii: "\n") {
            let withoutLF = bytes.dropLast()
            return Array(withoutLF.last == UInt8(ascii: "\r") ? withoutLF.dropLast() : withoutLF)
        }
        return bytes
    }

    /// Reads a key file: 32 raw bytes, or 64 hex digits with an optional trailing newline.
    static func keyFileContent(_ bytes: [UInt8]) -> [UInt8] {
        let text = passphraseFileContent(bytes)
        guard text.count == 64, let decoded = hexDecode(text) else { return bytes }
        return decoded
    }

    private static func hexDecode(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var index = 0
        while index + 1 < text.count {
            guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public var description: String { "EncryptionSecret(from: \(source), ***)" }
}
