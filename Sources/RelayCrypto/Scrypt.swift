import COpenSSL

/// The scrypt key-derivation function (RFC 7914) through OpenSSL.
public enum Scrypt {
    /// Cost parameters. `n` must be a power of two greater than 1.
    public struct Parameters: Sendable, Equatable {
        public var n: UInt64
        public var r: UInt64
        public var p: UInt64

        public init(n: UInt64, r: UInt64, p: UInt64) {
            self.n = n
            self.r = r
            self.p = p
        }
    }

    /// Derives `length` bytes from `password` and `salt`.
    public static func derive(
        password: [UInt8], salt: [UInt8], parameters: Parameters, length: Int
    ) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        // Memory for scrypt is 128 * r * n bytes; allow that plus headroom.
        let maxMemory = 128 * parameters.r * parameters.n * 2 + 1024 * 1024
        let status = password.withUnsafeBufferPointer { passwordBuffer in
            salt.withUnsafeBufferPointer { saltBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
                        EVP_PBE_scrypt(
                            passwordChars.baseAddress, passwordChars.count,
                            saltBuffer.baseAddress, saltBuffer.count,
                            parameters.n, parameters.r, parameters.p, maxMemory,
                            outBuffer.baseAddress, length)
                    }
                }
            }
        }
        guard status == 1 else { throw CryptoError(.library, operation: "scrypt") }
        return output
    }
}
