/// A failure inside the system cryptography library.
///
/// The message names the operation only; OpenSSL's own error strings are never shown to users
/// because they say nothing a person can act on and may vary between library versions.
public struct CryptoError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public enum Code: Equatable, Sendable {
        /// OpenSSL reported a failure for an operation that should not fail.
        case library
        /// AES-GCM authentication failed: the key is wrong or the data was altered.
        case authenticationFailed
        /// An argument had the wrong size.
        case invalidArgument
    }

    public let code: Code
    public let operation: String

    public init(_ code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String {
        switch code {
        case .library: "cryptography library failure in \(operation)"
        case .authenticationFailed: "authentication failed in \(operation)"
        case .invalidArgument: "invalid argument to \(operation)"
        }
    }
}
