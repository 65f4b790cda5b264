import Testing

@testable import OAuthRelay

@Suite("Settings: flags on top of the environment")
struct SettingsTests {
    private let environment = ["RELAY_BACKEND_URL": "https://env.example.test", "HOME": "/home/u"]

    @Test(
        "the flag spelling of a setting",
        arguments: [
            ("RELAY_BACKEND_URL", "--backend-url"), ("RELAY_AUTH_TIMEOUT", "--auth-timeout"),
            ("RELAY_TOKEN_PASSPHRASE_FILE", "--token-passphrase-file"),
        ])
    func flagSpelling(name: String, flag: String) {
        #expect(Settings.flag(for: name) == flag)
    }

    @Test(
        "a misspelled name is matched with the setting it was meant to be, an unrelated one with none",
        arguments: [
            ("RELAY_LOGLEVEL", "RELAY_LOG_LEVEL"), ("RELAY_BACKEND_ULR", "RELAY_BACKEND_URL"),
            ("RELAY_TOKEN_PAHT", "RELAY_TOKEN_PATH"), ("RELAY_CLIENTID", "RELAY_CLIENT_ID"),
            ("RELAY_TOKEN_PASSPHRSE", "RELAY_TOKEN_PASSPHRASE"), ("RELAY_FROBNICATE", nil),
        ] as [(String, String?)])
    func suggestion(name: String, expected: String?) {
        #expect(Settings.suggestion(for: name) == expected)
        #expect(
            Settings.unknownNameWarning(name).contains(expected.map { "did you mean \($0)?" } ?? "oauth-relay --help"))
    }

    @Test(
        "--flag value and --flag=value both override the environment",
        arguments: [
            ["--backend-url", "https://flag.example.test"], ["--backend-url=https://flag.example.test"],
        ])
    func override(arguments: [String]) throws {
        let merged = try Settings.merge(arguments: arguments, into: environment)
        #expect(merged.settings["RELAY_BACKEND_URL"] == "https://flag.example.test")
        #expect(merged.settings["HOME"] == "/home/u")
        #expect(merged.rest.isEmpty)
    }

    @Test("--flag= sets an empty value, which is how RELAY_RESOURCE is left out")
    func emptyValue() throws {
        let merged = try Settings.merge(arguments: ["--resource="], into: environment)
        #expect(merged.settings["RELAY_RESOURCE"] == "")
        #expect(try RelayConfiguration(settings: merged.settings).resource == nil)
    }

    @Test("a value containing = is kept whole")
    func valueWithEquals() throws {
        let merged = try Settings.merge(arguments: ["--backend-url=https://a.test/?x=1&y=2"], into: [:])
        #expect(merged.settings["RELAY_BACKEND_URL"] == "https://a.test/?x=1&y=2")
    }

    @Test("other arguments pass through in order")
    func rest() throws {
        let merged = try Settings.merge(
            arguments: ["login", "--unknown", "--log-level", "debug", "-v", "--", "x"], into: [:])
        #expect(merged.rest == ["login", "--unknown", "-v", "--", "x"])
        #expect(merged.settings["RELAY_LOG_LEVEL"] == "debug")
    }

    @Test(
        "a flag without a value is an error naming the flag",
        arguments: [
            ["--backend-url"], ["login", "--client-id"], ["--backend-url", "--log-level", "debug"],
        ])
    func missingValue(arguments: [String]) {
        let error = #expect(throws: ConfigurationError.self) { try Settings.merge(arguments: arguments, into: [:]) }
        #expect(error?.message.contains("needs a value") == true)
    }

    @Test("every known setting has a flag that maps back to it")
    func allKnown() throws {
        for (name, _) in Settings.known {
            let merged = try Settings.merge(arguments: [Settings.flag(for: name), "v"], into: [:])
            #expect(merged.settings == [name: "v"])
        }
    }
}
