import FoundationEssentials

/// An HTTP request the relay is about to send: method, URL, header fields and body.
struct OutgoingRequest: Sendable {
    var url: URL
    var method: String
    var body: Data?
    /// Header fields in the order they were set; names are compared case-insensitively.
    private(set) var headers: [(name: String, value: String)] = []

    init(url: URL, method: String = "GET", body: Data? = nil) {
        self.url = url
        self.method = method
        self.body = body
    }

    /// Sets a header field, replacing any of the same name; nil removes it.
    mutating func setHeader(_ name: String, _ value: String?) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        if let value { headers.append((name, value)) }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
