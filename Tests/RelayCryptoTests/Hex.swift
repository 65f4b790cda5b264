/// Test vectors are written in hex, as the RFCs and the GCM specification print them.
extension Array where Element == UInt8 {
    init(hex: String) {
        let digits = Array(hex.filter { !$0.isWhitespace }.utf8)
        precondition(digits.count.isMultiple(of: 2), "odd number of hex digits")
        self = stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                preconditionFailure("not a hex digit pair in a test vector")
            }
            return byte
        }
    }

    var hex: String {
        map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }
}
