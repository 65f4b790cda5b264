import Foundation

/// Redirect URI rules for native apps: `http` to a loopback address, any port (RFC 8252 §7.3).
enum LoopbackRedirect {
    /// Hosts accepted as loopback. `localhost` is allowed as many clients use it, although
    /// RFC 8252 §8.3 prefers the IP literals.
    static let hosts: Set<String> = ["127.0.0.1", "::1", "[::1]", "localhost"]

    /// True when `uri` is an absolute `http` URL to a loopback host, without fragment or user info.
    static func isValid(_ uri: String) -> Bool {
        guard let components = URLComponents(string: uri),
            components.scheme?.lowercased() == "http",
            let host = components.host?.lowercased(), hosts.contains(host),
            components.fragment == nil, components.user == nil, components.password == nil
        else { return false }
        return true
    }

    /// True when `uri` matches `registered` exactly, except for the port (RFC 8252 §7.3).
    static func matches(_ uri: String, registered: String) -> Bool {
        guard var given = URLComponents(string: uri), var expected = URLComponents(string: registered)
        else { return false }
        given.port = nil
        expected.port = nil
        return given.string == expected.string
    }
}
