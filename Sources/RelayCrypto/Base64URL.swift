import FoundationEssentials

/// Base64url without padding (RFC 4648 §5), as used by PKCE and JWT.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let standard = Data(bytes).base64EncodedString().utf8
        var text: [UInt8] = []
        text.reserveCapacity(standard.count)
        for byte in standard {
            switch byte {
            case UInt8(ascii: "+"): text.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): text.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes base64url text; padding is optional. Returns nil for any other character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.allSatisfy(isAlphabet) else { return nil }
        // "=" may only pad the last quantum to four characters; anything else is malformed.
        let padding = characters.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        let unpadded = characters.dropLast(padding)
        guard !unpadded.contains(UInt8(ascii: "=")),
            padding == 0 || (padding <= 2 && characters.count % 4 == 0)
        else { return nil }
        var base64 = characters.map { byte in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        while base64.count % 4 != 0 { base64.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(base64)) else { return nil }
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
