import FoundationEssentials
import MicroHTTP
import RelayCrypto
import Synchronization

/// The one-shot loopback listener that receives the authorization response (RFC 8252 §7.3).
///
/// Only `GET /callback` with exactly one `state` equal to the expected one can end the flow; any
/// other request gets an error page and changes nothing, so a forged callback from another local
/// page cannot cancel or hijack the sign-in (CASES 12).
final class CallbackListener: Sendable {
    /// How the authorization response ended.
    enum Outcome: Sendable, Equatable {
        case code(String)
        case failed(OAuthError)
    }

    private struct State {
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome, Never>?
    }

    let redirectURI: String
    private let server: HTTPServer
    private let state = Mutex(State())

    /// Binds the listener. The port is the system's choice unless one is given.
    /// - Throws: `OAuthError(.callbackPort)` naming the port and the setting when it is taken.
    init(
        bindHost: String, port: UInt16, redirectHost: String, expectedState: String,
        issuer: String, requireIssuer: Bool
    ) throws {
        let box = StateBox()
        do {
            server = try HTTPServer(
                host: bindHost, port: port,
                // A browser needs a connection or two; a local process opening hundreds must not
                // cost the relay a thread each.
                limits: .init(maxBodyBytes: 0, maxHeaderBytes: 32 << 10, idleTimeoutSeconds: 10, maxConnections: 32)
            ) { request in
                box.listener?.handle(
                    request, expectedState: expectedState, issuer: issuer,
                    requireIssuer: requireIssuer)
                    ?? .html(503, CallbackPage.page(title: "Not ready", message: "Try again."))
            }
        } catch let error as HTTPServerError where error.code == .addressInUse {
            throw OAuthError(
                .callbackPort,
                "the sign-in callback port \(port) on \(bindHost) is already in use by another program; "
                    + "change RELAY_CALLBACK_PORT or unset it to let the system choose a free port")
        } catch {
            throw OAuthError(.callbackPort, "cannot start the sign-in callback listener: \(error)")
        }
        let shownHost = redirectHost.contains(":") ? "[\(redirectHost)]" : redirectHost
        redirectURI = "http://\(shownHost):\(server.port)/callback"
        box.listener = self
    }

    /// Waits for the outcome, or for the timeout. Cancelling the task ends the wait too.
    func wait(timeout: TimeInterval) async -> Outcome {
        let timer = Task {
            try await Task.sleep(for: .seconds(timeout))
            finish(
                .failed(
                    OAuthError(
                        .timedOut,
                        "the sign-in did not finish within \(Int(timeout)) seconds and its link has expired; start it "
                            + "again (call the tool again, or run oauth-relay login) and finish it in the browser, "
                            + "or raise RELAY_AUTH_TIMEOUT")))
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Outcome? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish(.failed(OAuthError(.cancelled, "the sign-in was cancelled")))
        }
    }

    /// Closes the listener. Safe to call more than once.
    func close() { server.stop() }

    /// Records the first outcome and wakes the waiter; later outcomes are ignored. The paste-back
    /// prompt delivers a pasted response here, so whichever arrives first wins.
    func finish(_ outcome: Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    private var isFinished: Bool { state.withLock { $0.outcome != nil } }

    private func handle(
        _ request: HTTPRequest, expectedState: String, issuer: String,
        requireIssuer: Bool
    ) -> HTTPResponse {
        guard request.path == "/callback" else {
            return .html(
                404, CallbackPage.page(title: "Not found", message: "This address only receives sign-in responses."))
        }
        guard request.method == "GET" else {
            return .html(405, CallbackPage.page(title: "Method not allowed", message: "Use GET."))
        }
        guard !isFinished else {
            return .html(
                400,
                CallbackPage.page(
                    title: "Sign-in already finished", message: "You can close this window."))
        }
        switch AuthorizationResponse.validate(
            query: request.query, expectedState: expectedState, issuer: issuer, requireIssuer: requireIssuer)
        {
        case .foreign:
            return .html(
                400,
                CallbackPage.page(
                    title: "Invalid sign-in response",
                    message: "The response did not carry this sign-in's state, so it was ignored. "
                        + "If you started a sign-in, finish it in the window the relay opened."))
        case .failed(let error):
            return fail(error)
        case .missingCode:
            return .html(
                400,
                CallbackPage.page(
                    title: "Invalid sign-in response", message: "The response has no authorization code."))
        case .code(let code):
            finish(.code(code))
            return .html(
                200,
                CallbackPage.page(
                    title: "Signed in", message: "oauth-relay is signed in. You can close this window."))
        }
    }

    private func fail(_ error: OAuthError) -> HTTPResponse {
        finish(.failed(error))
        return .html(400, CallbackPage.page(title: "Sign-in failed", message: error.message))
    }
}

/// Lets the server's handler reach the listener once `init` has finished.
private final class StateBox: @unchecked Sendable {
    // Written once in init before any request can complete; read afterwards.
    nonisolated(unsafe) weak var listener: CallbackListener?
}

/// The small pages the callback listener shows. Every dynamic part is HTML-escaped.
enum CallbackPage {
    static func page(title: String, message: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(htmlEscape(title))</title>
        <style>body{font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em}</style></head>
        <body><h1>\(htmlEscape(title))</h1><p>\(htmlEscape(message))</p></body></html>
        """
    }
}
