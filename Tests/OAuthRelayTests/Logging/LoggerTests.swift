import Testing

@testable import OAuthRelay

@Suite("Logger: one line per message, whatever a server put in it")
struct LoggerTests {
    @Test(
        "control characters from servers are escaped, so they cannot forge lines or steer the terminal",
        arguments: [
            ("issuer\noauth-relay info: FORGED", #"issuer\u{a}oauth-relay info: FORGED"#),
            ("title\u{1B}]0;owned\u{07}", #"title\u{1b}]0;owned\u{7}"#),
            ("cr\rback\u{08}space\u{0}nul", #"cr\u{d}back\u{8}space\u{0}nul"#),
            ("c1\u{85}and\u{2028}separators", #"c1\u{85}and\u{2028}separators"#),
            ("tabs\tand é stay", "tabs\tand é stay"),
            ("evil\u{202E}txt.exe\u{200B}\u{FEFF}", #"evil\u{202e}txt.exe\u{200b}\u{feff}"#),
        ])
    func escapes(raw: String, shown: String) {
        let log = LogRecorder()
        log.logger.warning("from the server: \(raw)", ["oauth.issuer": raw])
        #expect(log.lines == ["oauth-relay warning: from the server: \(shown) oauth.issuer=\(shown)\n"])
    }

    @Test("terminal messages keep their line breaks and lose their escape sequences")
    func terminalText() {
        #expect(Logger.visible("line one\nline\u{1B}[2J two\n", lineBreaks: true) == "line one\nline\\u{1b}[2J two\n")
    }
}
