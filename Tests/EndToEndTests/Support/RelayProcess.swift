import Foundation
import Synchronization
import Testing

@testable import OAuthRelay

/// The real `oauth-relay` binary as a subprocess, spoken to over stdin/stdout like an MCP host.
final class RelayProcess: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let process: Process
    private let input: FileHandle
    private let stdoutLines = Locked<[String]>([])
    private let stderrText = Locked<String>("")
    /// How many of the two output readers have reached end of file.
    private let readersDone = Locked<Int>(0)
    private let nextID = Mutex<Int64>(1)

    /// Starts the relay with exactly the given environment (nothing inherited but PATH and HOME).
    init(environment: [String: String], arguments: [String] = [], executable: URL = TestPaths.relayBinary) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = environment
        let inherited = ProcessInfo.processInfo.environment
        env["PATH"] = env["PATH"] ?? inherited["PATH"]
        env["HOME"] = env["HOME"] ?? inherited["HOME"]
        process.environment = env
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        self.process = process
        input = stdinPipe.fileHandleForWriting
        let done = readersDone
        Self.collect(stdoutPipe.fileHandleForReading, splitLines: true, onEnd: { done.withLock { $0 += 1 } }) {
            [stdoutLines] chunk in stdoutLines.withLock { $0.append(chunk) }
        }
        Self.collect(stderrPipe.fileHandleForReading, splitLines: false, onEnd: { done.withLock { $0 += 1 } }) {
            [stderrText] chunk in stderrText.withLock { $0 += chunk }
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Every line written to stdout so far.
    var stdout: [String] { stdoutLines.withLock { $0 } }
    /// Everything written to stderr so far.
    var stderr: String { stderrText.withLock { $0 } }

    /// Writes one raw line to the relay's stdin.
    func sendLine(_ line: String) throws {
        try input.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Sends a notification.
    func notify(_ method: String, params: JSONValue? = nil) throws {
        var message: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        try sendLine(JSONValue.object(message).description)
    }

    /// Sends a request and returns its id without waiting.
    @discardableResult
    func send(_ method: String, params: JSONValue? = nil) throws -> JSONValue {
        let id = JSONValue.int(
            nextID.withLock { id in
                defer { id += 1 }
                return id
            })
        var message: [String: JSONValue] = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
        if let params { message["params"] = params }
        try sendLine(JSONValue.object(message).description)
        return id
    }

    /// Sends a request and waits for its response.
    func request(_ method: String, params: JSONValue? = nil, timeout: Duration = .seconds(30)) async throws
        -> JSONValue
    {
        let id = try send(method, params: params)
        return try await response(for: id, timeout: timeout)
    }

    /// Waits for the response with this id.
    func response(for id: JSONValue, timeout: Duration = .seconds(30)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        // Looks once more after the deadline: on a loaded machine the sleep can outlast it.
        var last = false
        while !last {
            last = ContinuousClock.now >= deadline
            for line in stdout {
                guard let message = try? JSONValue(parsing: Data(line.utf8)),
                    message["id"] == id
                else { continue }
                return message
            }
            if !last { try await Task.sleep(for: .milliseconds(10)) }
        }
        throw Failure(description: "no response for id \(id) within \(timeout); stderr:\n\(stderr)")
    }

    /// `initialize` + `notifications/initialized`.
    func initialize(version: String = "2025-11-25") async throws -> JSONValue {
        let answer = try await request(
            "initialize",
            params: [
                "protocolVersion": .string(version), "capabilities": [:],
                "clientInfo": ["name": "e2e", "version": "1"],
            ])
        try notify("notifications/initialized")
        return answer
    }

    /// Calls a tool and returns the tool result (the response's `result`).
    func callTool(_ name: String, _ arguments: JSONValue = [:], timeout: Duration = .seconds(30))
        async throws -> JSONValue
    {
        let answer = try await request(
            "tools/call", params: ["name": .string(name), "arguments": arguments], timeout: timeout)
        guard let result = answer["result"] else {
            throw Failure(description: "tools/call \(name) answered without result: \(answer)")
        }
        return result
    }

    /// Closes stdin and waits for the process to exit; returns its status.
    func finish(timeout: Duration = .seconds(30)) async throws -> Int32 {
        try? input.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw Failure(description: "the relay did not exit within \(timeout) of end of input")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Everything the process wrote is read once both pipes reach end of file (a child that
        // inherited them could hold them open, hence the bound).
        let drained = ContinuousClock.now + .seconds(10)
        while readersDone.withLock({ $0 }) < 2, ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    /// Sends a signal.
    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    var isRunning: Bool { process.isRunning }

    private static func collect(
        _ handle: FileHandle, splitLines: Bool, onEnd: @escaping @Sendable () -> Void,
        _ sink: @escaping @Sendable (String) -> Void
    ) {
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                guard splitLines else {
                    sink(String(decoding: chunk, as: UTF8.self))
                    continue
                }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    sink(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if splitLines, !pending.isEmpty { sink(String(decoding: pending, as: UTF8.self)) }
            onEnd()
        }
    }
}

/// Locations of the package and its built programs.
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var relayBinary: URL {
        if let override = ProcessInfo.processInfo.environment["OAUTH_RELAY_BIN"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.appendingPathComponent(".build/debug/oauth-relay")
    }
}

/// A mutex-protected value that closures can share by reference.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
