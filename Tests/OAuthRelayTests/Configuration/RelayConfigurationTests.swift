import Foundation
import Testing

@testable import OAuthRelay

private func refused(
    _ settings: [String: String], sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigurationError? {
    #expect(throws: ConfigurationError.self, sourceLocation: sourceLocation) { try configuration(settings) }
}

@Suite("RelayConfiguration")
struct RelayConfigurationTests {
    @Test("defaults for a minimal configuration")
    func defaults() throws {
        let config = try RelayConfiguration(settings: ["RELAY_BACKEND_URL": "https://api.example.test/"])
        #expect(config.backendURL.absoluteString == "https://api.example.test/")
        #expect(config.authServerURL == nil)
        #expect(config.clientID == nil)
        #expect(config.scopes == nil)
        #expect(config.resource == "https://api.example.test")
        #expect(config.authTimeout == 120)
        #expect(config.callbackHost == "127.0.0.1")
        #expect(config.callbackPort == 0)
        #expect(config.redirectHost == "127.0.0.1")
        #expect(config.browser == ["xdg-open"])
        #expect(config.logLevel == .info)
    }

    @Test("RELAY_BACKEND_URL is required and named in the error", arguments: [nil, "", "   "] as [String?])
    func missingBackend(value: String?) {
        var settings: [String: String] = [:]
        settings["RELAY_BACKEND_URL"] = value
        let error = #expect(throws: ConfigurationError.self) { try RelayConfiguration(settings: settings) }
        #expect(error?.setting == "RELAY_BACKEND_URL")
        #expect(error?.message.contains("RELAY_BACKEND_URL") == true)
    }

    @Test(
        "service URLs must be https, or http on a loopback address",
        arguments: [
            "http://api.example.test", "http://127.evil.test", "http://127.0.0.1.evil.test:8080",
            "ftp://api.example.test", "file:///tmp/x", "api.example.test", "https://", "not a url",
        ])
    func insecureURLs(url: String) {
        #expect(refused(["RELAY_BACKEND_URL": url])?.setting == "RELAY_BACKEND_URL")
        #expect(refused(["RELAY_AUTH_SERVER_URL": url])?.setting == "RELAY_AUTH_SERVER_URL")
    }

    @Test(
        "plain http is accepted on loopback",
        arguments: [
            "http://127.0.0.1:8080", "http://localhost:8080/api", "http://127.1.2.3",
        ])
    func loopbackHTTP(url: String) throws {
        #expect(try configuration(["RELAY_BACKEND_URL": url]).backendURL.absoluteString == url)
    }

    @Test(
        "IPv6 literals are accepted: plain http on ::1, https anywhere",
        arguments: ["http://[::1]:8080", "https://[2001:db8::1]/api"])
    func ipv6Literals(url: String) throws {
        #expect(try configuration(["RELAY_BACKEND_URL": url]).backendURL.absoluteString == url)
    }

    @Test("RELAY_CA_FILE must name a readable file")
    func caFile() throws {
        #expect(refused(["RELAY_CA_FILE": "/nonexistent/ca.pem"])?.setting == "RELAY_CA_FILE")
        let readable = #filePath
        #expect(try configuration(["RELAY_CA_FILE": readable]).caFile == readable)
    }

    @Test(
        "bad callback ports are refused naming RELAY_CALLBACK_PORT",
        arguments: [
            "abc", "-1", "65536", "80 80", "8080x", "1.5",
        ])
    func badPort(port: String) {
        #expect(refused(["RELAY_CALLBACK_PORT": port])?.setting == "RELAY_CALLBACK_PORT")
    }

    @Test("a fixed callback port is read")
    func fixedPort() throws {
        #expect(try configuration(["RELAY_CALLBACK_PORT": "8765"]).callbackPort == 8765)
    }

    @Test(
        "bad timeouts are refused, absurd ones included",
        arguments: [
            "abc", "0", "-1", "nan", "inf", "1e300", "86401",
        ])
    func badTimeout(timeout: String) {
        #expect(refused(["RELAY_AUTH_TIMEOUT": timeout])?.setting == "RELAY_AUTH_TIMEOUT")
        #expect(refused(["RELAY_HTTP_TIMEOUT": timeout])?.setting == "RELAY_HTTP_TIMEOUT")
    }

    @Test("timeouts accept fractions and up to a day")
    func goodTimeouts() throws {
        #expect(try configuration(["RELAY_AUTH_TIMEOUT": "0.5"]).authTimeout == 0.5)
        #expect(try configuration(["RELAY_AUTH_TIMEOUT": "86400"]).authTimeout == 86_400)
        #expect(try configuration(["RELAY_AUTH_TIMEOUT": ""]).authTimeout == 120)
    }

    @Test("the resource: default strips trailing slashes, explicit empty leaves it out, explicit is kept")
    func resource() throws {
        let root = try configuration(["RELAY_BACKEND_URL": "https://api.example.test//"])
        #expect(root.resource == "https://api.example.test")
        let path = try configuration(["RELAY_BACKEND_URL": "https://api.example.test/v1/"])
        #expect(path.resource == "https://api.example.test/v1")
        #expect(try configuration(["RELAY_RESOURCE": ""]).resource == nil)
        let explicit = try configuration(["RELAY_RESOURCE": "https://api.example.test/"])
        #expect(explicit.resource == "https://api.example.test/")
    }

    @Test("RELAY_BROWSER: none means no browser; a command is split on spaces")
    func browser() throws {
        #expect(try configuration(["RELAY_BROWSER": "none"]).browser == nil)
        #expect(try configuration(["RELAY_BROWSER": "firefox --new-window"]).browser == ["firefox", "--new-window"])
    }

    @Test(
        "callback and redirect hosts must be loopback",
        arguments: [
            ("RELAY_CALLBACK_HOST", "0.0.0.0"), ("RELAY_CALLBACK_HOST", "192.168.1.2"),
            ("RELAY_CALLBACK_HOST", "127.evil.test"), ("RELAY_REDIRECT_HOST", "example.test"),
        ])
    func hosts(setting: String, value: String) {
        #expect(refused([setting: value])?.setting == setting)
    }

    @Test("localhost binds 127.0.0.1; ::1 is kept")
    func callbackHosts() throws {
        #expect(try configuration(["RELAY_CALLBACK_HOST": "localhost"]).callbackHost == "127.0.0.1")
        let six = try configuration(["RELAY_CALLBACK_HOST": "::1"])
        #expect(six.callbackHost == "::1")
        #expect(six.redirectHost == "::1")
    }

    @Test("scopes are split on spaces; a bad log level is refused")
    func scopesAndLogLevel() throws {
        let scopes = try configuration(["RELAY_SCOPES": "notes:read  notes:write"]).scopes
        #expect(scopes == ["notes:read", "notes:write"])
        #expect(try configuration(["RELAY_LOG_LEVEL": "DEBUG"]).logLevel == .debug)
        #expect(refused(["RELAY_LOG_LEVEL": "verbose"])?.setting == "RELAY_LOG_LEVEL")
    }
}
