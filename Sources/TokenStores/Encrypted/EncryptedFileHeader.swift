import FoundationEssentials
import RelayCrypto

/// The header of an encrypted token file, format version 1 (see docs/token-file-format.md).
///
/// ```
/// offset  size  field
///  0       8    magic "ORTOKENS" (4F 52 54 4F 4B 45 4E 53)
///  8       1    format version = 1
///  9       1    KDF id: 1 = scrypt (passphrase), 2 = none (32-byte key file)
/// 10       1    scrypt log2(N)        (0 when KDF = 2)
/// 11       4    scrypt r, big-endian  (0 when KDF = 2)
/// 15       4    scrypt p, big-endian  (0 when KDF = 2)
/// 19       1    salt length S         (16 for scrypt, 0 when KDF = 2)
/// 20       S    salt
/// 20+S    12    AES-GCM nonce
/// 32+S     n    ciphertext
/// end-16  16    AES-GCM tag
/// ```
/// The associated data is bytes 0 ..< 32+S: everything before the ciphertext.
struct EncryptedFileHeader: Equatable, Sendable {
    enum KDF: UInt8, Sendable {
        case scrypt = 1
        case none = 2
    }

    static let magic: [UInt8] = Array("ORTOKENS".utf8)
    static let currentVersion: UInt8 = 1
    static let fixedSize = 20
    /// scrypt N = 2^15, r = 8, p = 1: 32 MiB and roughly 0.1 s on a current CPU, paid once per
    /// process because the derived key is cached.
    static let defaultScrypt = (log2N: UInt8(15), r: UInt32(8), p: UInt32(1))
    static let saltSize = 16

    var kdf: KDF
    var log2N: UInt8
    var r: UInt32
    var p: UInt32
    var salt: [UInt8]

    static func newScrypt() throws -> EncryptedFileHeader {
        EncryptedFileHeader(
            kdf: .scrypt, log2N: defaultScrypt.log2N, r: defaultScrypt.r, p: defaultScrypt.p,
            salt: try SecureRandom.bytes(saltSize))
    }

    static let keyFile = EncryptedFileHeader(kdf: .none, log2N: 0, r: 0, p: 0, salt: [])

    var scryptParameters: Scrypt.Parameters {
        Scrypt.Parameters(n: UInt64(1) << UInt64(log2N), r: UInt64(r), p: UInt64(p))
    }

    /// The header bytes (without the nonce).
    var bytes: [UInt8] {
        var out = Self.magic
        out += [Self.currentVersion, kdf.rawValue, log2N]
        out += withUnsafeBytes(of: r.bigEndian, Array.init)
        out += withUnsafeBytes(of: p.bigEndian, Array.init)
        out.append(UInt8(salt.count))
        return out + salt
    }

    /// Parses the header at the start of `file`; returns it and its length.
    static func parse(_ file: [UInt8], path: String) throws -> (header: EncryptedFileHeader, size: Int) {
        guard file.count >= magic.count, Array(file[0..<magic.count]) == magic else {
            throw TokenStoreError(.corrupt, "\(path) is not an oauth-relay encrypted token file (bad magic)")
        }
        guard file.count > 8 else { throw truncated(path) }
        guard file[8] == currentVersion else {
            throw TokenStoreError(
                .unsupportedVersion,
                "\(path) uses encrypted format version \(file[8]); this build reads version \(currentVersion). "
                    + "Upgrade oauth-relay")
        }
        guard file.count >= fixedSize else { throw truncated(path) }
        guard let kdf = KDF(rawValue: file[9]) else {
            throw TokenStoreError(.unsupportedVersion, "\(path) uses unknown key derivation \(file[9])")
        }
        let saltSize = Int(file[19])
        guard file.count >= fixedSize + saltSize + AESGCM.nonceSize + AESGCM.tagSize else { throw truncated(path) }
        let header = EncryptedFileHeader(
            kdf: kdf, log2N: file[10], r: bigEndian(file[11..<15]), p: bigEndian(file[15..<19]),
            salt: Array(file[fixedSize..<fixedSize + saltSize]))
        guard header.hasSaneParameters else {
            throw TokenStoreError(.corrupt, "\(path) has out-of-range key derivation parameters; the file is corrupted")
        }
        return (header, fixedSize + saltSize)
    }

    /// Bounds that keep a corrupted or hostile header from demanding unbounded memory or time.
    private var hasSaneParameters: Bool {
        switch kdf {
        case .scrypt:
            (10...22).contains(log2N) && (1...32).contains(r) && (1...16).contains(p)
                && (16...64).contains(salt.count)
        case .none: log2N == 0 && r == 0 && p == 0 && salt.isEmpty
        }
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func truncated(_ path: String) -> TokenStoreError {
        TokenStoreError(.corrupt, "\(path) is truncated; the file is corrupted")
    }
}
