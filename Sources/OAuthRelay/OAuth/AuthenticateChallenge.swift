/// One challenge from a `WWW-Authenticate` header (RFC 9110 §11.6.1), e.g.
/// `Bearer error="insufficient_scope", scope="notes:write"`.
struct AuthenticateChallenge: Sendable, Equatable {
    /// The scheme, lower-cased (`bearer`).
    var scheme: String
    /// Parameters with lower-cased names and unescaped values.
    var parameters: [String: String]

    /// Parses every challenge in a header value. Malformed parts end parsing; what was read
    /// before them is kept.
    static func parse(_ header: String) -> [AuthenticateChallenge] {
        var scanner = ChallengeScanner(Array(header.utf8))
        var challenges: [AuthenticateChallenge] = []
        while true {
            scanner.skip(whitespaceAndCommas: true)
            guard let scheme = scanner.token() else { break }
            var challenge = AuthenticateChallenge(scheme: scheme.lowercased(), parameters: [:])
            scanner.skip(whitespaceAndCommas: false)
            if scanner.token68() {
                // `Basic abc==`: a credential, not parameters; the next challenge follows a comma.
                challenges.append(challenge)
                continue
            }
            while true {
                let mark = scanner.position
                scanner.skip(whitespaceAndCommas: true)
                guard let name = scanner.token() else { break }
                scanner.skip(whitespaceAndCommas: false)
                guard scanner.consume(UInt8(ascii: "=")) else {
                    // A token without "=" starts the next challenge (or is token68).
                    scanner.position = mark
                    break
                }
                scanner.skip(whitespaceAndCommas: false)
                if let value = scanner.quotedString() ?? scanner.token() {
                    challenge.parameters[name.lowercased()] = value
                } else {
                    // token68 or junk: skip to the next comma.
                    scanner.skipToComma()
                }
            }
            challenges.append(challenge)
        }
        return challenges
    }

    /// The first Bearer challenge in a header value, if any.
    static func bearer(in header: String?) -> AuthenticateChallenge? {
        guard let header else { return nil }
        return parse(header).first { $0.scheme == "bearer" }
    }
}

/// A byte cursor for the challenge grammar.
private struct ChallengeScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip(whitespaceAndCommas: Bool) {
        while position < bytes.count {
            let byte = bytes[position]
            let isSpace = byte == 0x20 || byte == 0x09
            guard isSpace || (whitespaceAndCommas && byte == UInt8(ascii: ",")) else { return }
            position += 1
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func skipToComma() {
        while position < bytes.count, bytes[position] != UInt8(ascii: ",") { position += 1 }
    }

    /// An RFC 9110 token (tchar+), also allowing the token68 characters `/` and `=` at the end.
    mutating func token() -> String? {
        let start = position
        while position < bytes.count, Self.isTokenCharacter(bytes[position]) { position += 1 }
        guard position > start else { return nil }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Consumes a token68 (RFC 9110 §11.2) when one stands alone before a comma or the end;
    /// otherwise consumes nothing. `realm=x` and `realm="x"` are parameters, not token68.
    mutating func token68() -> Bool {
        let start = position
        while position < bytes.count, Self.isToken68Character(bytes[position]) { position += 1 }
        guard position > start else { return false }
        while position < bytes.count, bytes[position] == UInt8(ascii: "=") { position += 1 }
        let end = position
        skip(whitespaceAndCommas: false)
        guard position == bytes.count || bytes[position] == UInt8(ascii: ",") else {
            position = start
            return false
        }
        position = end
        return true
    }

    mutating func quotedString() -> String? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        var index = position + 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                value.append(bytes[index + 1])
                index += 2
            } else if byte == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: value, as: UTF8.self)
            } else {
                value.append(byte)
                index += 1
            }
        }
        return nil
    }

    private static func isToken68Character(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("-._~+/".utf8).contains(byte)
        }
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
