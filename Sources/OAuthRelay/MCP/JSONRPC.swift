/// JSON-RPC 2.0 error codes used by MCP.
public enum JSONRPCErrorCode {
    public static let parseError: Int64 = -32700
    public static let invalidRequest: Int64 = -32600
    public static let methodNotFound: Int64 = -32601
    public static let invalidParams: Int64 = -32602
    public static let internalError: Int64 = -32603
}

/// One incoming line, classified.
enum IncomingMessage: Equatable {
    case request(id: JSONValue, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// A response to a request we sent; the relay sends none, so these are ignored.
    case response
    /// Not a JSON-RPC message; `id` is echoed when it could be read.
    case invalid(id: JSONValue, reason: String)
    case unparseable

    /// Classifies one line of input.
    init(line: some Collection<UInt8>) {
        guard let value = try? JSONValue(parsing: line) else {
            self = .unparseable
            return
        }
        guard case .object(let object) = value else {
            self = .invalid(id: .null, reason: "a JSON-RPC message must be a JSON object")
            return
        }
        let id = object["id"]
        let validID = id.flatMap { $0.isValidRequestID ? $0 : nil }
        guard object["jsonrpc"] == .string("2.0") else {
            self = .invalid(id: validID ?? .null, reason: "jsonrpc must be \"2.0\"")
            return
        }
        guard let methodValue = object["method"] else {
            self =
                object["result"] != nil || object["error"] != nil
                ? .response : .invalid(id: validID ?? .null, reason: "method is missing")
            return
        }
        guard case .string(let method) = methodValue else {
            self = .invalid(id: validID ?? .null, reason: "method must be a string")
            return
        }
        let params = object["params"]
        if let params, params.objectValue == nil, params.arrayValue == nil {
            self = .invalid(id: validID ?? .null, reason: "params must be an object or an array")
            return
        }
        switch id {
        case nil:
            self = .notification(method: method, params: params)
        case let id? where validID != nil:
            self = .request(id: id, method: method, params: params)
        default:
            self = .invalid(id: .null, reason: "id must be a string or a number")
        }
    }
}

extension JSONValue {
    /// A string or a number: what JSON-RPC 2.0 allows as the id of a request (null is only for
    /// answers to requests whose id could not be read).
    var isValidRequestID: Bool {
        switch self {
        case .string, .number: true
        default: false
        }
    }
}

/// Builders for outgoing messages.
enum JSONRPC {
    static func result(id: JSONValue, _ result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    static func error(id: JSONValue, code: Int64, message: String) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": ["code": .int(code), "message": .string(message)]]
    }
}
