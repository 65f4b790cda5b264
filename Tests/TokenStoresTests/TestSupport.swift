import Foundation
import Testing

@testable import TokenStores

/// A fresh private directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        let template = "\(base)/token-stores-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let created = mkdtemp(&bytes) else { throw TokenStoreError(.io, "mkdtemp failed") }
        path = String(cString: created)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

enum Samples {
    static let key = TokenKey(
        issuer: "https://as.example.test", clientID: "client-1", resource: "https://api.example.test")
    static let otherKey = TokenKey(issuer: "https://as.example.test/tenant-a", clientID: "client 2", resource: "")

    static func tokens(_ access: String = "access-\(UUID().uuidString)") -> TokenSet {
        TokenSet(
            accessToken: access, refreshToken: "refresh-\(UUID().uuidString)",
            expiresAt: Date(timeIntervalSince1970: 1_900_000_000), scope: "notes:read notes:write")
    }

    /// An 8 KiB access token, like a JWT with many claims (CASES 13).
    static let longToken: String = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        return String((0..<8192).map { alphabet[($0 * 7 + $0 / 64) % alphabet.count] })
    }()
}

/// Mode bits of a path (without following a final symlink).
func mode(of path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

/// True when `needle` occurs in any file below `directory`.
func directoryContains(_ directory: String, _ needle: String) -> Bool {
    let target = Array(needle.utf8)
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return false }
    for case let relative as String in walker {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(relative)") else { continue }
        if [UInt8](data).firstRange(of: target) != nil { return true }
    }
    return false
}
