import Foundation
import Synchronization
import Testing

@testable import OAuthRelay

/// Sends one request with the relay's own HTTP client (libcurl underneath).
func send(_ url: String, method: String = "GET") async throws -> HTTPClientResponse {
    let request = OutgoingRequest(url: try #require(URL(string: url)), method: method)
    return try await HTTPClient(timeout: 10).send(request)
}

extension HTTPClientResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A logger that keeps its lines for assertions instead of writing to stderr.
final class LogRecorder: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var logger: Logger { Logger(level: .trace) { line in self.storage.withLock { $0.append(line) } } }
}
