import DevServer
import Foundation

/// A command-line mistake: reported in one line, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// Names of the metadata variants, for help and errors.
enum MetadataVariantNames {
    static var all: String { MetadataVariant.allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The parsed command line.
struct CommandLineOptions {
    var configuration = DevServerConfiguration()
    var portFile: String?
    var showHelp = false

    /// Parses `arguments` (without the program name) and the environment.
    init(arguments: [String], environment: [String: String]) throws(UsageError) {
        configuration.logRequests = true
        var remaining = arguments[...]
        var explicitIssuer: String?
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw UsageError(description: "\(name) needs a value") }
                return next
            }
            switch name {
            case "-h", "--help": showHelp = true
            case "--host": configuration.host = try value()
            case "--port": configuration.port = try Self.number(name, try value(), as: UInt16.self)
            case "--port-file": portFile = try value()
            case "--roles": configuration.roles = try Self.roles(try value())
            case "--issuer-path": configuration.issuerPath = try value()
            case "--issuer": explicitIssuer = try value()
            case "--access-token-lifetime": configuration.accessTokenLifetime = try Self.seconds(name, try value())
            case "--refresh-token-lifetime": configuration.refreshTokenLifetime = try Self.seconds(name, try value())
            case "--code-lifetime": configuration.codeLifetime = try Self.seconds(name, try value())
            case "--auto-approve": configuration.autoApproveUser = try value()
            case "--client": configuration.clients.append(DevClient(id: try value()))
            case "--scopes": configuration.scopes = try value().split(separator: " ").map(String.init)
            case "--resource": configuration.resource = try value()
            case "--device-interval": configuration.deviceInterval = try Self.number(name, try value(), as: Int.self)
            case "--device-code-lifetime": configuration.deviceCodeLifetime = try Self.seconds(name, try value())
            case "--metadata-variant":
                let text = try value()
                guard let variant = MetadataVariant(rawValue: text) else {
                    throw UsageError(
                        description: "unknown metadata variant \(text); use one of \(MetadataVariantNames.all)")
                }
                configuration.metadataVariant = variant
            case "--mcp-responses":
                let text = try value()
                guard let mode = MCPResponseMode(rawValue: text) else {
                    throw UsageError(description: "--mcp-responses must be json or sse, not \(text)")
                }
                configuration.mcpResponses = mode
            case "--test-controls": configuration.testControls = true
            case "--quiet": configuration.logRequests = false
            default:
                throw UsageError(description: "unknown option \(argument); see oauth-relay-dev-server --help")
            }
            if inlineValue != nil && ["-h", "--help", "--test-controls", "--quiet"].contains(name) {
                throw UsageError(description: "\(name) takes no value")
            }
        }
        try applyEnvironment(environment, explicitIssuer: explicitIssuer)
    }

    private mutating func applyEnvironment(_ environment: [String: String], explicitIssuer: String?)
        throws(UsageError)
    {
        if let secret = environment["JWT_SECRET"] {
            guard !secret.isEmpty else { throw UsageError(description: "JWT_SECRET is set but empty") }
            configuration.jwtSecret = Array(secret.utf8)
        }
        let backendOnly = configuration.roles == [.backend]
        configuration.issuer = explicitIssuer ?? (backendOnly ? environment["AUTH_SERVER_URL"] : nil)
        if backendOnly && configuration.issuer == nil {
            throw UsageError(description: "--roles backend needs the expected issuer: set AUTH_SERVER_URL or --issuer")
        }
        if backendOnly && environment["JWT_SECRET"] == nil {
            throw UsageError(
                description: "--roles backend needs JWT_SECRET, the key the authorization server signs with")
        }
    }

    private static func roles(_ text: String) throws(UsageError) -> Set<DevServerRole> {
        switch text {
        case "as": [.authorizationServer]
        case "backend": [.backend]
        case "both": [.authorizationServer, .backend]
        default: throw UsageError(description: "--roles must be as, backend or both, not \(text)")
        }
    }

    private static func number<T: FixedWidthInteger>(_ name: String, _ text: String, as type: T.Type)
        throws(UsageError) -> T
    {
        guard let number = T(text), number >= 0 else {
            throw UsageError(description: "\(name) needs a whole number ≥ 0, not \(text)")
        }
        return number
    }

    private static func seconds(_ name: String, _ text: String) throws(UsageError) -> TimeInterval {
        TimeInterval(try number(name, text, as: Int.self))
    }
}
