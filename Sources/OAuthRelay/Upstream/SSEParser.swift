/// One Server-Sent Event (HTML Living Standard, "event stream interpretation").
struct SSEEvent: Sendable, Equatable {
    /// The `event` field; "message" when the stream named none.
    var type: String = "message"
    /// The `data` lines joined by "\n", as bytes: exactly what the server sent, invalid UTF-8
    /// included, for the JSON reader to judge.
    var dataBytes: [UInt8] = []
    /// The last event id seen on the stream, which a reconnect sends as `Last-Event-ID`.
    var id: String?
    /// A reconnection delay in milliseconds, when this event carried a `retry` field.
    var retry: Int?

    init(type: String = "message", data: String = "", id: String? = nil, retry: Int? = nil) {
        self.init(type: type, dataBytes: Array(data.utf8), id: id, retry: retry)
    }

    init(type: String, dataBytes: [UInt8], id: String?, retry: Int?) {
        self.type = type
        self.dataBytes = dataBytes
        self.id = id
        self.retry = retry
    }

    /// The data as text (invalid UTF-8 shown as U+FFFD).
    var data: String { String(decoding: dataBytes, as: UTF8.self) }
}

/// An incremental SSE parser: feed it bytes as they arrive, in chunks of any size, and it
/// returns the events completed so far. Lines may end in LF, CR or CRLF, also when a CRLF is
/// split across two chunks; comments (`:`) are skipped; a leading BOM is dropped.
struct SSEParser: Sendable {
    /// The largest event the parser buffers; a server that sends more in one event is hostile or
    /// broken, and the stream is abandoned (`overflowed`).
    static let defaultMaxEventBytes = 16 << 20

    let maxEventBytes: Int
    /// True once an event grew past `maxEventBytes`; nothing more is parsed after that.
    private(set) var overflowed = false
    private var pendingDataBytes = 0
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var started = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType = ""
    private var retry: Int?
    /// The last event id (persists across events, as the standard says).
    private(set) var lastEventID: String?

    init(maxEventBytes: Int = SSEParser.defaultMaxEventBytes) {
        self.maxEventBytes = maxEventBytes
    }

    /// Parses a chunk and returns the events it completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        guard !overflowed else { return events }
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                lastWasCR = true
                endLine(into: &events)
            case 0x0A:
                endLine(into: &events)
            default:
                line.append(byte)
                if line.count + pendingDataBytes > maxEventBytes {
                    overflowed = true
                    line.removeAll()
                    resetEvent()
                    return events
                }
            }
        }
        return events
    }

    /// Ends the stream: an event without its closing blank line is dropped, as the standard says.
    mutating func finish() {
        line.removeAll()
        resetEvent()
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if !started {
            started = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = line[..<colon]
            var start = colon + 1
            if start < line.count, line[start] == 0x20 { start += 1 }
            value = line[start...]
        } else {
            name = line[...]
            value = []
        }
        apply(name: name, value: value)
    }

    private mutating func apply(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        switch String(decoding: name, as: UTF8.self) {
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            pendingDataBytes += value.count + 1
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer { resetEvent() }
        guard hasData else {
            // An event with no data is not dispatched, but its retry still counts.
            if let retry { events.append(SSEEvent(type: "", dataBytes: [], id: lastEventID, retry: retry)) }
            return
        }
        let type = eventType.isEmpty ? "message" : eventType
        events.append(SSEEvent(type: type, dataBytes: data, id: lastEventID, retry: retry))
    }

    private mutating func resetEvent() {
        data.removeAll(keepingCapacity: true)
        pendingDataBytes = 0
        hasData = false
        eventType = ""
        retry = nil
    }
}
