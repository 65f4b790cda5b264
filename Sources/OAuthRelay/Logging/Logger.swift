import Glibc
import Synchronization

/// Log levels, most severe first. `RELAY_LOG_LEVEL` picks the least severe level shown.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case error, warning, info, debug, trace

    public init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warn", "warning": self = .warning
        case "info": self = .info
        case "debug": self = .debug
        case "trace": self = .trace
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .info: "info"
        case .debug: "debug"
        case .trace: "trace"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Writes log lines to standard error, never to standard output (which carries the MCP stream).
///
/// Messages are autoclosures so detail that is not shown is never built. Callers must not pass
/// tokens, codes, verifiers or full callback URLs; metadata keys are namespaced by concern.
public struct Logger: Sendable {
    public let level: LogLevel
    private let sink: @Sendable (String) -> Void

    public init(level: LogLevel, sink: @escaping @Sendable (String) -> Void = Logger.standardError) {
        self.level = level
        self.sink = sink
    }

    public func log(
        _ level: LogLevel, _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        guard level <= self.level else { return }
        let fields = metadata().sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        // Messages quote what servers said; a line break or an escape sequence in that must not
        // forge log lines or reach the terminal.
        sink("oauth-relay \(level.name): \(Logger.visible(message() + fields, lineBreaks: false))\n")
    }

    public func error(
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.error, message(), metadata())
    }

    public func warning(
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.warning, message(), metadata())
    }

    public func info(
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.info, message(), metadata())
    }

    public func debug(
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.debug, message(), metadata())
    }

    /// Writes to file descriptor 2 in one call per line, so lines from threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        stderrLock.withLock { _ in
            var bytes = Array(line.utf8)
            writeFully(2, &bytes)
        }
    }
}

extension Logger {
    /// `text` with control characters (C0 but tab, DEL, C1, the Unicode line and paragraph
    /// separators, and the invisible and direction-changing format characters that can make a
    /// line read other than it is) written as `\u{…}` escapes; line feeds are kept when
    /// `lineBreaks` is true.
    public static func visible(_ text: String, lineBreaks: Bool) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09: false
            case 0x0A: !lineBreaks
            case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
            case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: true
            default: false
            }
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                shown.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}

private let stderrLock = Mutex(())

/// Writes all bytes to a descriptor, retrying short writes and EINTR.
func writeFully(_ fd: Int32, _ bytes: inout [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer in
            write(fd, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
        }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}
