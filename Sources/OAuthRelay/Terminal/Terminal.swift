import FoundationEssentials

/// The command layer's terminal I/O: prompts, progress and errors on standard error; only a
/// command's requested output (e.g. `status`) on standard output.
enum Terminal {
    /// Writes to standard error as is.
    static func show(_ text: String) { Logger.standardError(Logger.visible(text, lineBreaks: true)) }

    /// Writes to standard output.
    static func output(_ text: String) {
        var bytes = Array(text.utf8)
        writeFully(1, &bytes)
    }

    /// One line of standard input without its line ending; nil at end of input.
    static func readLine() -> String? { Swift.readLine(strippingNewline: true) }
}
