import MicroHTTP

/// `GET /device` and `POST /device`: where a user types the code shown by a device and decides
/// (RFC 8628 §3.3). The form has `user_code`, `username` and `decision=approve|deny`.
struct DeviceVerificationPage {
    let context: DevServerContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        request.method == "POST" ? decide(request) : show(userCode: request.queryValue("user_code") ?? "")
    }

    private func show(userCode: String, message: String? = nil, status: Int = 200) -> HTTPResponse {
        let note = message.map { "<p><strong>\(htmlEscape($0))</strong></p>" } ?? ""
        let body = """
            \(note)
            <p>Enter the code your device shows, then approve or deny its access.</p>
            <form method="post" action="/device">
            <label for="user_code">Code</label>
            <input type="text" id="user_code" name="user_code" value="\(htmlEscape(userCode))"
             autocomplete="off" placeholder="BCDF-GHJK">
            <label for="username">User name</label>
            <input type="text" id="username" name="username" value="demo" autocomplete="username">
            <button type="submit" name="decision" value="approve" id="approve">Approve</button>
            <button type="submit" name="decision" value="deny" id="deny">Deny</button>
            </form>
            """
        return .html(status, HTMLPage.render(title: "Connect a device", body: body))
    }

    private func decide(_ request: HTTPRequest) -> HTTPResponse {
        if let origin = request.header("Origin"), origin != "null", origin != context.baseURL {
            return HTMLPage.error(403, title: "Refused", message: "the form was sent from another site")
        }
        guard let form = try? RequestParameters.form(of: request) else {
            return show(userCode: "", message: "The form could not be read.", status: 400)
        }
        let userCode = form["user_code"] ?? ""
        let approve = form["decision"] == "approve"
        let user = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        if approve && !UserName.isValid(user) {
            return show(userCode: userCode, message: "Enter a user name (1–64 characters).", status: 400)
        }
        let found = context.grants.withLock { state -> Bool in
            guard let pending = state.pendingDevice(userCode: userCode) else { return false }
            state.decideDevice(pending.deviceCode, status: approve ? .approved(user: user) : .denied)
            return true
        }
        guard found else {
            return show(userCode: userCode, message: "That code is unknown, expired or already used.", status: 400)
        }
        let outcome = approve ? "Access approved. You can return to your device." : "Access denied."
        return .html(200, HTMLPage.render(title: "Connect a device", body: "<p>\(outcome)</p>"))
    }
}
