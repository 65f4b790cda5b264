import Foundation

/// Base64url without padding (RFC 4648 §5), as used by PKCE and JWT.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url text; padding is optional. Returns nil for any other character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = String(text)
        guard base64.utf8.allSatisfy(isAlphabet) else { return nil }
        // "=" may only pad the last quantum to four characters; anything else is malformed.
        let padding = base64.utf8.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        let unpadded = base64.utf8.dropLast(padding)
        guard !unpadded.contains(UInt8(ascii: "=")),
            padding == 0 || (padding <= 2 && base64.utf8.count % 4 == 0)
        else { return nil }
        base64 = base64.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return [UInt8](data)
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "="):
            true
        default: false
        }
    }
}
