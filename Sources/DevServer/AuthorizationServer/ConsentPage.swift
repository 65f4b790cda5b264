import Foundation
import MicroHTTP

/// The sign-in and consent page. Its form is a stable contract: scripts and tests submit it
/// with plain HTTP (`request_id`, `username`, `decision=approve|deny` to `POST /authorize`).
enum ConsentPage {
    static func render(requestID: String, request: AuthorizationRequest, context: DevServerContext)
        -> HTTPResponse
    {
        let client = context.clients.client(request.clientID)?.name ?? request.clientID
        let scopes = request.scopes.map { "<li><code>\(htmlEscape($0))</code></li>" }.joined()
        let body = """
            <p><strong>\(htmlEscape(client))</strong> wants to access your account on
            <code>\(htmlEscape(request.resource))</code> with these permissions:</p>
            <ul>\(scopes)</ul>
            <form method="post" action="/authorize">
            <input type="hidden" name="request_id" value="\(htmlEscape(requestID))">
            <label for="username">User name</label>
            <input type="text" id="username" name="username" value="demo" autocomplete="username">
            <button type="submit" name="decision" value="approve" id="approve">Approve</button>
            <button type="submit" name="decision" value="deny" id="deny">Deny</button>
            </form>
            <p class="muted">Development authorization server — no password is checked.</p>
            """
        var response = HTTPResponse.html(200, HTMLPage.render(title: "Sign in to oauth-relay-dev", body: body))
        // Browsers apply form-action to the redirect after the POST too, so the client's
        // redirect origin must be allowed or the approved sign-in would never arrive.
        let policy =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
            + "form-action 'self' \(redirectOrigin(request.redirectURI))"
        response.headers = response.headers.map { header in
            header.name == "Content-Security-Policy" ? (header.name, policy) : header
        }
        return response
    }

    /// `scheme://host:port` of a validated loopback redirect URI.
    private static func redirectOrigin(_ uri: String) -> String {
        guard let components = URLComponents(string: uri), let scheme = components.scheme,
            let host = components.host
        else { return "" }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (components.port.map { ":\($0)" } ?? "")
    }
}
