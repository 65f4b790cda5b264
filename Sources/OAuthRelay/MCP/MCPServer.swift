import FoundationEssentials

/// Answers MCP requests: lifecycle, ping and tools, forwarding tools to the backend.
struct MCPServer: Sendable {
    static let supportedVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    static let serverName = "oauth-relay"
    static let serverVersion = "0.1.0"

    let relay: ToolRelay
    let logger: Logger

    /// The answer to one request: a result or a JSON-RPC error.
    func respond(id: JSONValue, method: String, params: JSONValue?) async -> JSONValue {
        do {
            return JSONRPC.result(id: id, try await result(method: method, params: params))
        } catch let error as ProtocolError {
            return JSONRPC.error(id: id, code: error.code, message: error.message)
        } catch let error as RelayError {
            return JSONRPC.error(id: id, code: JSONRPCErrorCode.internalError, message: error.message)
        } catch let error as OAuthError {
            return JSONRPC.error(id: id, code: JSONRPCErrorCode.internalError, message: error.message)
        } catch is CancellationError {
            // The host cancelled the request; its answer is not sent.
            return JSONRPC.error(id: id, code: JSONRPCErrorCode.internalError, message: "cancelled")
        } catch {
            logger.error("unexpected failure in \(method): \(type(of: error))")
            return JSONRPC.error(id: id, code: JSONRPCErrorCode.internalError, message: "internal error in \(method)")
        }
    }

    private func result(method: String, params: JSONValue?) async throws -> JSONValue {
        switch method {
        case "initialize":
            return initialize(params)
        case "ping":
            return [:]
        case "tools/list":
            return try await relay.listTools()
        case "tools/call":
            guard let name = params?["name"]?.stringValue, !name.isEmpty else {
                throw ProtocolError(JSONRPCErrorCode.invalidParams, "tools/call needs params.name, a string")
            }
            let arguments = params?["arguments"] ?? [:]
            guard arguments.objectValue != nil else {
                throw ProtocolError(JSONRPCErrorCode.invalidParams, "tools/call params.arguments must be an object")
            }
            return try await relay.callTool(name: name, arguments: arguments)
        default:
            throw ProtocolError(JSONRPCErrorCode.methodNotFound, "method not found: \(method)")
        }
    }

    private func initialize(_ params: JSONValue?) -> JSONValue {
        let requested = params?["protocolVersion"]?.stringValue
        let version =
            requested.flatMap { Self.supportedVersions.contains($0) ? $0 : nil }
            ?? Self.supportedVersions[0]
        return [
            "protocolVersion": .string(version),
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": ["name": .string(Self.serverName), "version": .string(Self.serverVersion)],
        ]
    }
}

/// A JSON-RPC error answer.
struct ProtocolError: Error {
    let code: Int64
    let message: String
    init(_ code: Int64, _ message: String) {
        self.code = code
        self.message = message
    }
}
