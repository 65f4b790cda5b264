import JSONWebToken

/// Runs the example tools for a caller. Shared by the REST form and the MCP endpoint, so both
/// serve the same tools with the same notes.
struct ToolRunner {
    /// A tool that could not run: bad arguments or a missing implementation.
    struct Failure: Error {
        var message: String
        /// True when the arguments were at fault (REST 400); false for the server (REST 500).
        var isCallersFault = true
    }

    let context: DevServerContext

    /// The tool's text answer.
    /// - Parameter argument: the string argument of a name; nil when absent or not a string.
    func run(_ tool: ToolCatalog.Tool, argument: (String) -> String?, claims: JWTClaims?) throws(Failure) -> String {
        let user = claims?.subject ?? ""
        switch tool.name {
        case "echo":
            guard let message = argument("message") else {
                throw Failure(message: "echo needs a string argument message")
            }
            return message
        case "whoami":
            let scopes = claims?.scope ?? ""
            return "You are \(user) (client \(claims?.clientID ?? "unknown"), scopes: \(scopes))."
        case "read_notes":
            let notes = context.notes.notes(of: user)
            if notes.isEmpty { return "\(user) has no notes yet." }
            let lines = notes.enumerated().map { "\($0.offset + 1). \($0.element)" }
            return "Notes of \(user):\n" + lines.joined(separator: "\n")
        case "create_note":
            guard let text = argument("text"), !text.isEmpty else {
                throw Failure(message: "create_note needs a non-empty string argument text")
            }
            guard let count = context.notes.add(text, for: user) else {
                throw Failure(message: "\(user) has \(NoteBook.limit) notes already, as many as this server keeps")
            }
            return "Saved note \(count) for \(user)."
        default:
            throw Failure(message: "the tool \(tool.name) has no implementation", isCallersFault: false)
        }
    }

    /// An MCP tool result holding `text`.
    static func result(_ text: String, isError: Bool = false) -> [String: Any] {
        ["content": [["type": "text", "text": text]], "isError": isError]
    }
}
