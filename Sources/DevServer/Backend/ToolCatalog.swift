/// The example backend's tools and the access each needs.
enum ToolCatalog {
    enum Access: Equatable, Sendable {
        /// Works without a token.
        case anyone
        /// Any valid token.
        case signedIn
        /// A valid token with this scope.
        case scope(String)
    }

    struct Tool: Sendable {
        var name: String
        var description: String
        /// Argument name → description; every argument is a string.
        var arguments: [String: String]
        var required: [String]
        var access: Access

        /// The JSON Schema of the arguments.
        var inputSchema: [String: Any] {
            [
                "type": "object",
                "properties": arguments.mapValues { ["type": "string", "description": $0] },
                "required": required,
            ]
        }
    }

    static let tools: [Tool] = [
        Tool(
            name: "echo", description: "Returns the message it is given. Needs no account.",
            arguments: ["message": "The text to send back."], required: ["message"], access: .anyone),
        Tool(
            name: "whoami", description: "Tells who the signed-in user is.",
            arguments: [:], required: [], access: .signedIn),
        Tool(
            name: "read_notes", description: "Lists the signed-in user's notes (scope notes:read).",
            arguments: [:], required: [], access: .scope("notes:read")),
        Tool(
            name: "create_note", description: "Saves a note for the signed-in user (scope notes:write).",
            arguments: ["text": "The note to save."], required: ["text"], access: .scope("notes:write")),
    ]

    static func tool(named name: String) -> Tool? {
        tools.first { $0.name == name }
    }

    static var listing: [String: Any] {
        ["tools": tools.map { ["name": $0.name, "description": $0.description, "inputSchema": $0.inputSchema] }]
    }
}
