/// A JSON number kept as the literal it arrived as, so an id or a value passes through the relay
/// exactly, however many digits it has.
///
/// Two numbers are equal when they denote the same value: `1`, `1.0` and `10e-1` are one number,
/// and `18446744073709551617` is not `18446744073709551616`. Equality and hashing use an exact
/// decimal form (digits and a power of ten), never a rounded `Double`; numbers whose exponent has
/// more than 15 digits are equal only when written alike.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, valid by RFC 8259 §6.
    public let text: String
    private let value: Exact

    /// A literal the JSON parser has already checked against the RFC 8259 grammar.
    init(validLiteral text: String) {
        self.text = text
        value = Exact(literal: text.utf8)
    }

    public init(_ integer: Int64) {
        self.init(validLiteral: String(integer))
    }

    /// nil for infinities and NaN, which JSON cannot write.
    public init?(_ double: Double) {
        guard double.isFinite else { return nil }
        // Swift prints the shortest text that reads back as the same Double, in JSON's grammar.
        let whole = double == double.rounded() && abs(double) < 1e15
        self.init(validLiteral: whole ? String(Int64(double)) : "\(double)")
    }

    public var description: String { text }

    /// The nearest `Double`.
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as an `Int64` when it is a whole number in range (`3.0` too), else nil.
    public var int64Value: Int64? {
        if let exact = Int64(text) { return exact }
        guard value.exponent >= 0, value.digits.count + value.exponent <= 19 else { return nil }
        let digits = value.digits + String(repeating: "0", count: value.exponent)
        return Int64((value.negative ? "-" : "") + digits)
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// A number as ± digits × 10^exponent, with no leading or trailing zeros in `digits`; zero has
    /// no digits and no sign. A number whose exponent is too large to compute with (over 15
    /// digits, far beyond any real id or value) is known by its literal alone.
    private struct Exact: Hashable, Sendable {
        var negative = false
        var digits = ""
        var exponent = 0
        var literal: String?

        init(literal text: String.UTF8View) {
            var bytes = text[...]
            if bytes.first == UInt8(ascii: "-") {
                negative = true
                bytes = bytes.dropFirst()
            }
            var mantissa: [UInt8] = []
            var fractionDigits = 0
            var inFraction = false
            while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
                bytes = bytes.dropFirst()
                if byte == UInt8(ascii: ".") {
                    inFraction = true
                    continue
                }
                if mantissa.isEmpty, byte == UInt8(ascii: "0") {
                    if inFraction { fractionDigits += 1 }
                    continue
                }
                mantissa.append(byte)
                if inFraction { fractionDigits += 1 }
            }
            guard let written = Self.exponent(of: bytes.dropFirst()) else {
                self = Exact(opaque: String(text))
                return
            }
            exponent = written - fractionDigits
            while mantissa.last == UInt8(ascii: "0") {
                mantissa.removeLast()
                exponent += 1
            }
            if mantissa.isEmpty {
                negative = false
                exponent = 0
            }
            digits = String(decoding: mantissa, as: UTF8.self)
        }

        private init(opaque text: String) {
            literal = text
        }

        /// The exponent's value; nil when it has more than 15 digits.
        private static func exponent(of bytes: Substring.UTF8View) -> Int? {
            var rest = bytes
            var sign = 1
            if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                if first == UInt8(ascii: "-") { sign = -1 }
                rest = rest.dropFirst()
            }
            let significant = rest.drop { $0 == UInt8(ascii: "0") }
            guard significant.count <= 15 else { return nil }
            return sign * significant.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
    }
}
