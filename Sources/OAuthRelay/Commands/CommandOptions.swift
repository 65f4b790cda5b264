/// The switches of a subcommand (`--device`, `--json` …) after the `RELAY_*` setting flags have
/// been taken out by `Settings.merge`.
struct CommandOptions: Sendable, Equatable {
    /// The switches given, e.g. `["--device"]`.
    var switches: Set<String> = []
    var help: Bool = false

    /// A usage error: the message names the argument and the help to read. Exit status 2.
    struct UsageError: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Parses `arguments` (everything after the subcommand name).
    /// - Throws: `UsageError` for an unknown argument or for two switches that exclude each other.
    init(
        _ arguments: [String], command: String, allowed: Set<String>,
        exclusive: [Set<String>] = []
    ) throws(UsageError) {
        for argument in arguments {
            if argument == "--help" || argument == "-h" {
                help = true
            } else if allowed.contains(argument) {
                switches.insert(argument)
            } else {
                throw UsageError(
                    description: "\(command): unknown argument \(argument); see oauth-relay \(command) --help")
            }
        }
        for group in exclusive where switches.intersection(group).count > 1 {
            let names = group.sorted().joined(separator: " and ")
            throw UsageError(description: "\(command): \(names) cannot be used together")
        }
    }

    func has(_ name: String) -> Bool { switches.contains(name) }

    /// Parses a subcommand's switches and answers `--help` and usage errors, which every
    /// subcommand treats alike. Returns the options to run with, or the exit status to stop with.
    static func prepare(
        _ arguments: [String], command: String, allowed: Set<String>, exclusive: [Set<String>] = [],
        help text: String
    ) -> Result<CommandOptions, Stop> {
        do {
            let options = try CommandOptions(arguments, command: command, allowed: allowed, exclusive: exclusive)
            guard !options.help else {
                // Asked-for help is the command's output, as `oauth-relay --help` is.
                Terminal.output(text)
                return .failure(Stop(status: 0))
            }
            return .success(options)
        } catch {
            Terminal.show("oauth-relay \(error)\n")
            return .failure(Stop(status: 2))
        }
    }

    /// The subcommand is done before it ran: help was shown (0) or the usage was wrong (2).
    struct Stop: Error {
        let status: Int32
    }
}
