/// A missing or invalid setting. The message names the setting and what to put there.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let setting: String
    public let message: String

    public init(setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }

    public var description: String { message }
}
