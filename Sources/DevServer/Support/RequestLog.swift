import Foundation
import MicroHTTP

/// The request log: one line per request on stderr with method, path, status and duration.
/// The query string is never logged, so codes, states and tokens never reach it.
enum RequestLog {
    static func write(request: HTTPRequest, status: Int, duration: Duration) {
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1e3
        let line =
            "\(sanitise(request.method)) \(sanitise(request.path)) \(status) "
            + String(format: "%.1fms", milliseconds) + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Keeps a log line on one line and short, whatever a client put in the path.
    private static func sanitise(_ text: String) -> String {
        let printable = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        return printable.count > 200 ? String(printable.prefix(200)) + "…" : printable
    }
}
