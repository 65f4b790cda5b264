/// A sign-in or token failure, worded for the person who has to act on it.
public struct OAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case discovery
        case unsupportedServer
        case registration
        case callbackPort
        case timedOut
        case denied
        case callbackError
        case issuerMismatch
        case tokenEndpoint
        case invalidGrant
        case invalidClient
        case insufficientScope
        case browser
        case cancelled
        case store
        case network
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
