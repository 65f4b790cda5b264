import FoundationEssentials

/// The one JSON encoding used by every backend: compact single-line JSON (never pretty-printed,
/// so no stored secret contains a newline), sorted keys, unescaped slashes, and dates as Unix
/// seconds.
enum TokenCoding {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        do {
            return [UInt8](try encoder.encode(value))
        } catch {
            throw TokenStoreError(.io, "cannot encode tokens as JSON")
        }
    }

    /// Decodes `bytes`; `source` names the file or keyring item in the error message.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], source: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch {
            // The decoder's own message may quote the input, which can hold a token: never show it.
            throw TokenStoreError(.corrupt, "\(source) does not hold valid token JSON; remove it and sign in again")
        }
    }
}
