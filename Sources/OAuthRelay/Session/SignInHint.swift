import FoundationEssentials
import Glibc

/// The message a relay returns when a sign-in is needed and no browser can be opened: the exact
/// `oauth-relay login` command to run in a terminal on this machine, with the settings it needs
/// to store tokens where this relay looks for them. Never includes a secret: passphrases and keys
/// are named by their files, and `RELAY_TOKEN_PASSPHRASE` (if set) only by name.
enum SignInHint {
    /// Settings copied from the relay's configuration when set: they decide the token store and
    /// what is requested. The issuer and client id come from the discovered context instead.
    static let copied = [
        "RELAY_SCOPES", "RELAY_TOKEN_STORE", "RELAY_TOKEN_PATH", "RELAY_TOKEN_KEY_FILE",
        "RELAY_TOKEN_PASSPHRASE_FILE", "RELAY_SECRET_COLLECTION", "XDG_CONFIG_HOME",
    ]

    /// The tool-result text for a headless sign-in.
    static func message(configuration: RelayConfiguration, context: AuthorizationContext) -> String {
        let reason =
            configuration.settings["RELAY_BROWSER"] == "none"
            ? "RELAY_BROWSER=none" : "no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)"
        var text =
            "Sign-in required, and no browser can be opened here (\(reason)). "
            + "Run this command in a terminal on this machine, finish the sign-in it shows, "
            + "then call the tool again:\n\n  " + command(configuration: configuration, context: context)
        if configuration.settings["RELAY_TOKEN_PASSPHRASE"] != nil {
            text += "\n\n(also export RELAY_TOKEN_PASSPHRASE as this relay has it)"
        }
        return text
    }

    /// The command line, settings first, ready to paste into a POSIX shell.
    static func command(configuration: RelayConfiguration, context: AuthorizationContext) -> String {
        var assignments: [(String, String)] = [
            ("RELAY_BACKEND_URL", configuration.backendURL.absoluteString),
            ("RELAY_AUTH_SERVER_URL", context.metadata.issuer),
            ("RELAY_CLIENT_ID", context.clientID),
        ]
        let resource = context.resource ?? ""
        if resource != RelayConfiguration.defaultResource(for: configuration.backendURL) {
            assignments.append(("RELAY_RESOURCE", resource))
        }
        for name in copied {
            if let value = configuration.settings[name], !value.isEmpty { assignments.append((name, value)) }
        }
        let mode = context.metadata.deviceAuthorizationEndpoint == nil ? "--no-browser" : "--device"
        let words = assignments.map { "\($0.0)=\(shellQuoted($0.1))" } + [shellQuoted(executable), "login", mode]
        return words.joined(separator: " ")
    }

    /// This program's absolute path, so the command works even when it is not on PATH.
    static var executable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "oauth-relay" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Single-quotes a word unless it consists only of characters no shell treats specially.
    static func shellQuoted(_ word: String) -> String {
        let safe = word.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default: "-_./:=@%+,".utf8.contains(byte)
            }
        }
        if safe, !word.isEmpty { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
