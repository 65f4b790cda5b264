import Synchronization

/// Keeps the non-secret parameters of requests, so tests can assert on what a client sent.
final class RequestRecorder: Sendable {
    struct Entry: Sendable {
        var method: String
        var path: String
        var parameters: [String: String]
        var statePresent: Bool
    }

    /// Parameters that are safe to keep: never codes, verifiers, tokens or passwords.
    static let recordedNames = [
        "grant_type", "client_id", "redirect_uri", "scope", "resource",
        "response_type", "code_challenge_method", "token_type_hint",
    ]

    private let entries = Mutex<[Entry]>([])
    private let counts = Mutex<[String: Int]>([:])

    func record(method: String, path: String, parameters: [(name: String, value: String)]) {
        var kept: [String: String] = [:]
        for name in Self.recordedNames {
            if let value = parameters.first(where: { $0.name == name })?.value { kept[name] = value }
        }
        let statePresent = parameters.contains { $0.name == "state" && !$0.value.isEmpty }
        entries.withLock {
            $0.append(Entry(method: method, path: path, parameters: kept, statePresent: statePresent))
        }
    }

    func count(method: String, path: String) {
        counts.withLock { $0["\(method) \(path)", default: 0] += 1 }
    }

    func reset() {
        entries.withLock { $0.removeAll() }
        counts.withLock { $0.removeAll() }
    }

    var recordedJSON: [[String: Any]] {
        entries.withLock { entries in
            entries.map { entry in
                var parameters: [String: Any] = entry.parameters
                parameters["state_present"] = entry.statePresent
                return ["method": entry.method, "path": entry.path, "params": parameters]
            }
        }
    }

    var countsJSON: [String: Int] { counts.withLock { $0 } }
}
