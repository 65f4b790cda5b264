import Foundation
import Testing

@testable import OAuthRelay

/// `login --device` in a real terminal (tmux): the code and URL are on screen, no token is.
@Suite("Commands: login in a terminal (tmux)", .serialized)
struct TerminalOutputTests {
    @Test("login --device in tmux shows the user code and the URL, and no token")
    func deviceLoginInTmux() async throws {
        // The consent page is left to a person, so the code stays pending until the test approves
        // it after it has seen the progress indicator.
        let bed = try TestBed {
            $0.deviceInterval = 1
            $0.autoApproveUser = nil
        }
        let script = bed.directory.appendingPathComponent("login.sh")
        var lines = ["#!/bin/sh"]
        for (name, value) in bed.commandEnvironment() { lines.append("export \(name)='\(value)'") }
        lines.append("'\(TestPaths.relayBinary.path)' login --device; echo \"exit=$?\"; sleep 60")
        try lines.joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)

        let socket = "oauth-relay-test-\(UUID().uuidString.prefix(8))"
        defer { _ = try? runTool("tmux", ["-L", socket, "kill-server"]) }
        // The tmux client started from here stays until the session's command ends: don't wait for it.
        let tmux = Process()
        tmux.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tmux.arguments = ["tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "30", script.path]
        tmux.standardOutput = FileHandle.nullDevice
        tmux.standardError = FileHandle.nullDevice
        try tmux.run()

        var screen = ""
        var sawSpinner = false
        for _ in 0..<300 where !screen.contains("exit=") {
            try await Task.sleep(for: .milliseconds(100))
            screen = try runTool("tmux", ["-L", socket, "capture-pane", "-p"]).output
            if !sawSpinner, screen.contains("Waiting for approval") {
                sawSpinner = true
                try await bed.control("consent?decision=approve&user=alice")
            }
        }
        #expect(screen.contains("exit=0"), "\(screen)")
        #expect(screen.range(of: #"[B-Z]{4}-[B-Z]{4}"#, options: .regularExpression) != nil, "\(screen)")
        #expect(screen.contains(bed.server.baseURL + "/device"))
        #expect(sawSpinner, "the progress indicator was drawn")
        #expect(screen.contains("Signed in"))
        for token in try bed.storedTokenValues() {
            #expect(!screen.contains(token.prefix(40)))
        }
    }
}
