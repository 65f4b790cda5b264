import Foundation
import Testing

@testable import OAuthRelay

/// The relay with each token store backend: a second process finds the first one's sign-in, and
/// nothing but the chosen store is written (CASES 17: no silent downgrade to a plaintext file).
@Suite("Token store backends, end to end", .serialized)
struct StoreBackendTests {
    enum Backend: String, CaseIterable, Sendable {
        case plaintext, encryptedFile = "encrypted-file", secretService = "secret-service"
    }

    @Test("A second relay process uses the stored sign-in", arguments: Backend.allCases)
    func signInSurvivesRestart(backend: Backend) async throws {
        let bed = try TestBed()
        let environment = try Self.environment(for: backend, in: bed)
        let first = try await bed.startRelay(environment)
        let result = try await first.callTool("whoami")
        #expect(result.toolText.contains("alice"), "\(result)\n\(first.stderr)")
        #expect(first.stderr.contains("token store: \(backend.rawValue)"))
        _ = try await first.finish()

        let second = try await bed.startRelay(environment)
        #expect(try await second.callTool("whoami").toolText.contains("alice"))
        #expect(try await bed.count("GET /authorize") == 1)
        _ = try await second.finish()

        let plaintext = bed.directory.appendingPathComponent("tokens.json").path
        #expect(backend == .plaintext || !FileManager.default.fileExists(atPath: plaintext))
        if backend == .secretService {
            let config = bed.directory.appendingPathComponent("config").path
            let written = (try? FileManager.default.subpathsOfDirectory(atPath: config)) ?? []
            #expect(!written.contains { $0.hasSuffix(".json") || $0.hasSuffix(".enc") }, "\(written)")
        }
    }

    @Test("secret-service without a session bus: the call says so, and no file appears (CASES 14, 17)")
    func keyringWithoutBus() async throws {
        let bed = try TestBed()
        var environment = try Self.environment(for: .secretService, in: bed)
        environment["DBUS_SESSION_BUS_ADDRESS"] = ""
        let relay = try await bed.startRelay(environment)
        let result = try await relay.callTool("whoami")
        #expect(result.isToolError)
        #expect(result.toolText.lowercased().contains("no d-bus session bus"), "\(result.toolText)")
        _ = try await relay.finish()
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: bed.directory.path)) ?? []
        #expect(!written.contains { $0.hasSuffix("tokens.json") || $0.hasSuffix("tokens.enc") }, "\(written)")
    }

    static func environment(for backend: Backend, in bed: TestBed) throws -> [String: String] {
        switch backend {
        case .plaintext:
            return [:]
        case .encryptedFile:
            let keyFile = bed.directory.appendingPathComponent("store.key")
            try Data((0..<32).map { UInt8($0) }).write(to: keyFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
            return [
                "RELAY_TOKEN_STORE": "encrypted-file", "RELAY_TOKEN_KEY_FILE": keyFile.path,
                "RELAY_TOKEN_PATH": bed.directory.appendingPathComponent("tokens.enc").path,
            ]
        case .secretService:
            let inherited = ProcessInfo.processInfo.environment
            return [
                "RELAY_TOKEN_STORE": "secret-service", "RELAY_SECRET_COLLECTION": "session",
                "RELAY_TOKEN_PATH": "",
                "DBUS_SESSION_BUS_ADDRESS": inherited["DBUS_SESSION_BUS_ADDRESS"] ?? "",
                "XDG_RUNTIME_DIR": inherited["XDG_RUNTIME_DIR"] ?? bed.directory.path,
            ]
        }
    }
}
