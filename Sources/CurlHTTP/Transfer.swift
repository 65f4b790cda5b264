import CCurl
import FoundationEssentials
import Synchronization

/// One easy handle and what its callbacks feed. Apart from `cancelRequested`, it is touched only
/// on the engine's thread once submitted.
final class Transfer: @unchecked Sendable {
    /// Where the response goes: the head as soon as it is complete, body chunks as they arrive
    /// (nil: collect the body and pass it to `onDone`), and the end. `onData` answers false to
    /// refuse a chunk for now: the transfer pauses and offers it again once resumed.
    struct Sink: Sendable {
        var onHead: @Sendable (CurlResponseHead) -> Void
        var onData: (@Sendable (Data) -> Bool)?
        var onDone: @Sendable (Result<Data, CurlError>) -> Void
    }

    let easy: UnsafeMutableRawPointer
    let sink: Sink
    let cancelRequested = Atomic<Bool>(false)
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let maxBodyBytes: Int?
    /// How long the transfer may go without a byte of the response; the engine enforces it.
    let idleTimeout: Duration
    /// When the last header or body bytes arrived (or the transfer started or resumed).
    private(set) var lastActivity = ContinuousClock.now
    /// True while paused because the reader is behind; the idle timeout does not run then.
    private(set) var paused = false
    /// True once the transfer has a connection and its request goes out. Before that it may
    /// wait for a free connection (64 per host), which is no silence of the server's.
    private(set) var connected = false

    private var status = 0
    private var headers: [String: String] = [:]
    private var headDelivered = false
    private var received = 0
    private var body = Data()
    private(set) var tooLarge = false

    init(_ request: CurlRequest, sink: Sink) throws(CurlError) {
        guard let easy = curl_easy_init() else {
            throw CurlError(kind: .other, detail: "libcurl could not create a transfer")
        }
        self.easy = easy
        self.sink = sink
        maxBodyBytes = request.maxBodyBytes
        idleTimeout = .milliseconds(max(1, Int(request.idleTimeout * 1000)))
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(_ request: CurlRequest) throws(CurlError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_URL, request.url), "URL")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "no signals")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "redirects")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        // No Accept-Encoding: a compressed answer could expand a thousandfold past every limit.
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ACCEPT_ENCODING, nil), "encodings")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_USERAGENT, "oauth-relay"), "user agent")

        // The idle rule (no byte for idleTimeout, however long the whole transfer takes, since
        // event streams stay open) is the engine's: libcurl's low-speed check averages over
        // seconds and fires late. Connecting gets the same time.
        let milliseconds = max(1, Int(request.idleTimeout * 1000))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds), "connect timeout")

        if let caFile = request.caFile {
            // CAINFO adds to the system directory (CAPATH, /etc/ssl/certs), which stays in use.
            try check(ccurl_easy_setopt_pointer(easy, CURLOPT_CAINFO, caFile), "CA file")
        }
        try configureMethod(request)
        try configureHeaders(request)

        try check(ccurl_easy_setopt_prereq(easy, transferConnected), "connection callback")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, me), "connection data")
        try check(ccurl_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, transferWrite), "write callback")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me), "write data")
        try check(ccurl_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, transferHeader), "header callback")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me), "header data")
    }

    private func configureMethod(_ request: CurlRequest) throws(CurlError) {
        let method = request.method.uppercased()
        if let body = request.body {
            try check(ccurl_easy_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "size")
            // COPYPOSTFIELDS copies, so the body need not outlive this call.
            let code = body.withUnsafeBytes { bytes in
                ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(easy))
            }
            try check(code, "body")
            if method != "POST" {
                try check(ccurl_easy_setopt_pointer(easy, CURLOPT_CUSTOMREQUEST, method), "method")
            }
        } else if method == "HEAD" {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "method")
        } else if method != "GET" {
            try check(ccurl_easy_setopt_pointer(easy, CURLOPT_CUSTOMREQUEST, method), "method")
        }
    }

    private func configureHeaders(_ request: CurlRequest) throws(CurlError) {
        // An empty Expect: stops libcurl from waiting for "100 Continue" before a larger body.
        var lines = ["Expect:"]
        for (name, value) in request.headers {
            let clean = value.filter { $0 != "\r" && $0 != "\n" }
            lines.append(clean.isEmpty ? "\(name);" : "\(name): \(clean)")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw CurlError(kind: .other, detail: "libcurl could not store a header")
            }
            headerList = appended
        }
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList), "headers")
    }

    // MARK: - Callbacks (engine thread)

    /// Marks the transfer as started now, for the idle timeout.
    func started() { lastActivity = .now }

    fileprivate func didConnect() {
        connected = true
        lastActivity = .now
    }

    fileprivate func header(_ line: String) {
        lastActivity = .now
        guard !headDelivered else { return }  // trailers
        let trimmed = line.trimmingWhitespace()
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = [:]
        } else if trimmed.isEmpty {
            if status >= 200 { deliverHead() }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].lowercased()
            let value = trimmed[trimmed.index(after: colon)...].trimmingWhitespace()
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
    }

    /// What a write callback did with the bytes.
    fileprivate enum Written { case taken, refused, paused }

    fileprivate func write(_ bytes: UnsafeRawBufferPointer) -> Written {
        lastActivity = .now
        if let maxBodyBytes, received + bytes.count > maxBodyBytes {
            tooLarge = true
            return .refused
        }
        if !headDelivered { deliverHead() }
        if let onData = sink.onData {
            guard onData(Data(bytes)) else {
                paused = true
                return .paused
            }
        } else {
            body.append(contentsOf: bytes)
        }
        received += bytes.count
        return .taken
    }

    /// Lets a paused transfer go on (engine thread); libcurl offers the held bytes again.
    func resume() {
        guard paused else { return }
        paused = false
        lastActivity = .now
        _ = ccurl_easy_unpause(easy)
    }

    private func deliverHead() {
        headDelivered = true
        sink.onHead(CurlResponseHead(status: status, headers: headers))
    }

    /// Reports the end of the transfer once; the engine has already removed the handle.
    func finish(_ code: CURLcode) {
        if code == CURLE_OK {
            if !headDelivered && status > 0 { deliverHead() }
            if headDelivered {
                sink.onDone(.success(body))
            } else {
                sink.onDone(.failure(CurlError(kind: .other, detail: "no response")))
            }
        } else if tooLarge {
            sink.onDone(.failure(CurlError(kind: .tooLarge, detail: "more than \(maxBodyBytes ?? 0) bytes")))
        } else if code == CURLE_OPERATION_TIMEDOUT, !connected {
            sink.onDone(
                .failure(
                    CurlError(
                        kind: .unreachable,
                        detail: "no connection (TCP and TLS) within \(idleTimeout); the server does not accept "
                            + "connections, or 64 requests to it are in flight already")))
        } else {
            sink.onDone(.failure(CurlError(code: code, message: String(cString: errorBuffer))))
        }
        body = Data()
    }

    func finishCancelled() {
        sink.onDone(.failure(CurlError(kind: .cancelled, detail: "cancelled")))
    }

    func finishTimedOut() {
        sink.onDone(.failure(CurlError(kind: .timedOut, detail: "no data for \(idleTimeout)")))
    }
}

private let transferWrite: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    switch transfer.write(UnsafeRawBufferPointer(start: data, count: length)) {
    case .taken: return length
    case .refused: return 0
    case .paused: return ccurl_write_pause
    }
}

private let transferConnected: curl_prereq_callback = { context, _, _, _, _ in
    if let context { Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().didConnect() }
    return CURL_PREREQFUNC_OK
}

private let transferHeader: curl_write_callback = { data, size, count, context in
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    transfer.header(String(decoding: bytes, as: UTF8.self))
    return length
}

extension StringProtocol {
    /// Without leading and trailing white space and line breaks.
    fileprivate func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
