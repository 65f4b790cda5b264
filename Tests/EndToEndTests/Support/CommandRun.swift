import DevServer
import Foundation
import Testing

@testable import OAuthRelay

/// One run of an `oauth-relay` subcommand (`login`, `logout`, `status` …) to completion.
struct CommandRun: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `oauth-relay ARGUMENTS` with exactly `environment`, writes `input` to its stdin, closes
    /// stdin and waits for the exit.
    static func run(
        _ arguments: [String], environment: [String: String], input: String = "",
        timeout: Duration = .seconds(60), shell: Bool = false
    ) async throws -> CommandRun {
        let process = try RelayProcess(
            environment: environment, arguments: arguments,
            executable: shell ? URL(fileURLWithPath: "/bin/sh") : TestPaths.relayBinary)
        if !input.isEmpty { try? process.sendLine(input) }
        let status = try await process.finish(timeout: timeout)
        return CommandRun(status: status, stdout: process.stdout.joined(separator: "\n"), stderr: process.stderr)
    }

    /// Everything the command wrote.
    var output: String { stdout + "\n" + stderr }
}

extension TestBed {
    /// The environment for subcommands against this bed's dev server, with the device grant's
    /// short interval and no browser.
    func commandEnvironment(_ overrides: [String: String] = [:]) -> [String: String] {
        relayEnvironment(["RELAY_BROWSER": "none", "RELAY_LOG_LEVEL": "warning"].merging(overrides) { _, new in new })
    }

    /// Signs in with `login --device` (the bed approves automatically).
    func login(_ overrides: [String: String] = [:]) async throws -> CommandRun {
        let run = try await CommandRun.run(["login", "--device"], environment: commandEnvironment(overrides))
        #expect(run.status == 0, "login failed: \(run.stderr)")
        return run
    }

    /// The stored access and refresh tokens of the plaintext store, to check none is ever shown.
    func storedTokenValues() throws -> [String] {
        let file = try storedEntries()
        guard let entries = (file?["tokens"] ?? file)?.objectValue else { return [] }
        return entries.values.flatMap { entry -> [String] in
            let tokens = entry["tokens"] ?? entry
            return [tokens["access_token"]?.stringValue, tokens["refresh_token"]?.stringValue].compactMap { $0 }
        }
    }

    /// A bed whose device grant polls every second.
    static func fastDevice(configure: @escaping (inout DevServerConfiguration) -> Void = { _ in }) throws -> TestBed {
        try TestBed { configuration in
            configuration.deviceInterval = 1
            configure(&configuration)
        }
    }
}

/// Runs a program to completion and returns its standard output (tests only: curl, tmux).
func runTool(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
