import Foundation
import Glibc
import Testing

@testable import OAuthRelay

/// A temporary directory with a fake browser that writes each argument on its own line.
private struct FakeBrowser {
    let directory: URL
    let script: URL
    let output: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        script = directory.appendingPathComponent("browser")
        output = directory.appendingPathComponent("argv")
        let text =
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"\(output.path).tmp\"\n"
            + "mv \"\(output.path).tmp\" \"\(output.path)\"\n"
        // Written through a close-on-exec descriptor: a write descriptor inherited by a child
        // spawned meanwhile would make exec of the script fail with ETXTBSY.
        let fd = open(script.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o700)
        try #require(fd >= 0)
        var bytes = Array(text.utf8)
        let written = write(fd, &bytes, bytes.count)
        close(fd)
        try #require(written == bytes.count)
    }

    /// The arguments the script received, once it has written them (polls; the child runs async).
    func arguments() async throws -> [String] {
        for _ in 0..<3000 {
            if let text = try? String(contentsOf: output, encoding: .utf8) {
                return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the fake browser never wrote its arguments")
        return []
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite("BrowserOpener", .serialized)
struct BrowserOpenerTests {
    @Test(
        "only http and https URLs are opened",
        arguments: [
            "file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "ftp://as.test/", "mailto:a@b.test",
        ])
    func unsafeURL(text: String) throws {
        let url = try #require(URL(string: text))
        #expect(throws: BrowserOpener.Failure.unsafeURL) { try BrowserOpener(command: ["/bin/true"]).open(url) }
    }

    @Test("without a command nothing is opened")
    func notConfigured() throws {
        let url = try #require(URL(string: "https://as.test/authorize"))
        #expect(throws: BrowserOpener.Failure.notConfigured) { try BrowserOpener(command: nil).open(url) }
        #expect(throws: BrowserOpener.Failure.notConfigured) { try BrowserOpener(command: []).open(url) }
    }

    @Test("the URL reaches the program as one argument and no shell ever runs it")
    func noShell() async throws {
        let browser = try FakeBrowser()
        defer { browser.remove() }
        let marker = "/tmp/pwned-\(UUID().uuidString)"
        // The CASES 11 form, plus one whose command survives URL encoding ($IFS$9 is a space in sh).
        let text = "https://as.test/a?x=$(touch \(marker))&y=`id`&z=$(touch$IFS$9\(marker))&w=;touch$IFS$9\(marker)"
        let url = try #require(URL(string: text))
        #expect(url.absoluteString.contains("$(touch$IFS$9\(marker))"))
        try BrowserOpener(command: [browser.script.path]).open(url)
        #expect(try await browser.arguments() == [url.absoluteString])
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("fixed arguments from the command come before the URL")
    func fixedArguments() async throws {
        let browser = try FakeBrowser()
        defer { browser.remove() }
        let url = try #require(URL(string: "https://as.test/authorize?a=1"))
        try BrowserOpener(command: [browser.script.path, "--new-window", "$HOME"]).open(url)
        #expect(try await browser.arguments() == ["--new-window", "$HOME", "https://as.test/authorize?a=1"])
    }

    @Test("a program that does not exist is a spawn failure naming it")
    func missingProgram() throws {
        let url = try #require(URL(string: "https://as.test/authorize"))
        let program = "/nonexistent/browser-\(UUID().uuidString)"
        #expect(throws: BrowserOpener.Failure.spawnFailed(program: program, errno: ENOENT)) {
            try BrowserOpener(command: [program]).open(url)
        }
    }
}
