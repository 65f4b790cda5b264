import FoundationEssentials

/// One HTTP request for libcurl: what to send and how long to wait.
public struct CurlRequest: Sendable {
    public var url: String
    public var method: String
    /// Header fields in order; a field named here replaces libcurl's own (e.g. `Accept`).
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Seconds allowed to connect, and seconds without a single byte before giving up.
    public var idleTimeout: Double
    /// A PEM bundle of certificate authorities trusted in addition to the system store.
    public var caFile: String?
    /// The most body bytes accepted; a larger body fails the transfer with `.tooLarge`.
    public var maxBodyBytes: Int?

    public init(
        url: String, method: String = "GET", headers: [(name: String, value: String)] = [],
        body: Data? = nil, idleTimeout: Double, caFile: String? = nil, maxBodyBytes: Int? = nil
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.idleTimeout = idleTimeout
        self.caFile = caFile
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The status line and header fields of a response.
public struct CurlResponseHead: Sendable {
    public var status: Int
    /// Header fields with lower-cased names; repeated fields joined with ", ".
    public var headers: [String: String]

    public init(status: Int, headers: [String: String]) {
        self.status = status
        self.headers = headers
    }
}
