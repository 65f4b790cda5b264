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
        return .html(200, HTMLPage.render(title: "Sign in to oauth-relay-dev", body: body))
    }
}
