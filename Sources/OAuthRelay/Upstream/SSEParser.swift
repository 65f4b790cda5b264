/// One Server-Sent Event (HTML Living Standard, "event stream interpretation").
struct SSEEvent: Sendable, Equatable {
    /// The `event` field; "message" when the stream named none.
    var type: String = "message"
    /// The `data` lines joined by "\n".
    var data: String = ""
    /// The last event id seen on the stream, which a reconnect sends as `Last-Event-ID`.
    var id: String?
    /// A reconnection delay in milliseconds, when this event carried a `retry` field.
    var retry: Int?
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
    private var dataLines: [String] = []
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
        let name: String
        var value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = String(decoding: line[..<colon], as: UTF8.self)
            var start = colon + 1
            if start < line.count, line[start] == 0x20 { start += 1 }
            value = String(decoding: line[start...], as: UTF8.self)
        } else {
            name = String(decoding: line, as: UTF8.self)
            value = ""
        }
        apply(name: name, value: &value)
    }

    private mutating func apply(name: String, value: inout String) {
        switch name {
        case "data":
            dataLines.append(value)
            pendingDataBytes += value.utf8.count + 1
            hasData = true
        case "event":
            eventType = value
        case "id":
            if !value.utf8.contains(0) { lastEventID = value }
        case "retry":
            if !value.isEmpty, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { retry = Int(value) }
        default:
            break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer { resetEvent() }
        guard hasData else {
            // An event with no data is not dispatched, but its retry still counts.
            if let retry { events.append(SSEEvent(type: "", data: "", id: lastEventID, retry: retry)) }
            return
        }
        let type = eventType.isEmpty ? "message" : eventType
        events.append(SSEEvent(type: type, data: dataLines.joined(separator: "\n"), id: lastEventID, retry: retry))
    }

    private mutating func resetEvent() {
        dataLines.removeAll()
        pendingDataBytes = 0
        hasData = false
        eventType = ""
        retry = nil
    }
}
