import Foundation
import Testing

@testable import TokenStores

/// Runs the TokenStoreStress helper built next to the test bundle.
enum StressHelper {
    static var path: String {
        let directory = Bundle.main.bundleURL.deletingLastPathComponent().path
        let sibling = "\(directory)/TokenStoreStress"
        if FileManager.default.fileExists(atPath: sibling) { return sibling }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/TokenStoreStress"
    }

    static func process(_ arguments: [String], environment: [String: String], umask: String? = nil) -> Process {
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        return process
    }

    static func environment(_ backend: String, directory: String) -> [String: String] {
        [
            "RELAY_TOKEN_STORE": backend, "HOME": directory, "XDG_CONFIG_HOME": "\(directory)/config",
            "RELAY_TOKEN_PASSPHRASE": "stress passphrase", "PATH": "/usr/bin:/bin",
        ]
    }

    static func store(_ environment: [String: String]) throws -> any TokenStore {
        try TokenStoreFactory.make(StoreConfiguration(environment: environment)).store
    }
}

@Suite("File stores across processes")
struct MultiProcessTests {
    @Test(
        "8 processes incrementing under the lock lose no update and corrupt nothing",
        arguments: ["plaintext", "encrypted-file"])
    func eightWriters(backend: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = StressHelper.environment(backend, directory: directory.path)
        let writers = (0..<8).map { _ in StressHelper.process(["count", "25"], environment: environment) }
        for writer in writers { try writer.run() }
        for writer in writers {
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        let store = try StressHelper.store(environment)
        #expect(
            try store.load(TokenKey(issuer: "https://stress.example.test", clientID: "counter", resource: ""))?
                .accessToken == "200")
    }

    @Test(
        "kill -9 during writes leaves a readable store with whole tokens (CASES 21)",
        arguments: ["plaintext", "encrypted-file"])
    func killedWriter(backend: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = StressHelper.environment(backend, directory: directory.path)
        let key = TokenKey(issuer: "https://stress.example.test", clientID: "churn", resource: "")
        for delay in [50_000, 130_000, 210_000] as [UInt32] {
            let writer = StressHelper.process(["forever"], environment: environment)
            try writer.run()
            // Wait for the first complete write (scrypt and start-up can be slow on a busy machine).
            let file = "\(directory.path)/config/oauth-relay/" + (backend == "plaintext" ? "tokens.json" : "tokens.enc")
            let started = Date()
            while !FileManager.default.fileExists(atPath: file), Date().timeIntervalSince(started) < 20 {
                usleep(10_000)
            }
            usleep(delay)
            kill(writer.processIdentifier, SIGKILL)
            writer.waitUntilExit()
            let tokens = try StressHelper.store(environment).load(key)
            let access = try #require(tokens?.accessToken)
            #expect(access.utf8.count >= 8192 - 20)
            #expect(access.hasPrefix("gen-"))
            #expect(tokens?.refreshToken == "r-" + (access.split(separator: "-")[1]))
        }
    }

    @Test("directory 0700 and file 0600 whatever the umask", arguments: ["000", "022", "077"])
    func umaskIndependent(umask: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for backend in ["plaintext", "encrypted-file"] {
            let environment = StressHelper.environment(backend, directory: directory.path)
            let writer = StressHelper.process(["once"], environment: environment, umask: umask)
            try writer.run()
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        #expect(mode(of: "\(directory.path)/config/oauth-relay") == 0o700)
        #expect(mode(of: "\(directory.path)/config/oauth-relay/tokens.json") == 0o600)
        #expect(mode(of: "\(directory.path)/config/oauth-relay/tokens.enc") == 0o600)
    }
}
