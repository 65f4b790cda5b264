import CLibSecret
import Dispatch
import FoundationEssentials

/// One keyring operation's deadline: a `GCancellable` that a timer cancels.
///
/// Every GLib call of the operation takes `cancellable`, so a provider that never answers (or a
/// prompt nobody can see) ends at the deadline instead of hanging the relay.
final class KeyringDeadline: @unchecked Sendable {
    // GCancellable is thread-safe; this box only keeps it alive until the timer has fired.
    let cancellable: UnsafeMutablePointer<GCancellable>
    let seconds: Double

    init(seconds: Double) {
        cancellable = g_cancellable_new()
        self.seconds = seconds
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            g_cancellable_cancel(cancellable)
        }
    }

    deinit { g_object_unref(cancellable) }

    var expired: Bool { g_cancellable_is_cancelled(cancellable) != 0 }
}

/// Turns GLib's `GError` results into `TokenStoreError`s with actionable messages.
enum KeyringCall {
    static let lockedAdvice =
        "unlock it (e.g. log in to the desktop, or `gnome-keyring-daemon --unlock`) "
        + "or set RELAY_TOKEN_STORE=encrypted-file"

    /// Calls `body` with a GError slot; throws when the call set it or returned nil/false.
    static func run<T>(
        _ operation: String, deadline: KeyringDeadline,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<GError>?>) -> T?
    ) throws -> T {
        var error: UnsafeMutablePointer<GError>?
        let result = body(&error)
        if let error {
            defer { g_error_free(error) }
            throw mapped(error, operation: operation, deadline: deadline)
        }
        guard let result else {
            throw TokenStoreError(.keyring, "the keyring failed to \(operation) without saying why")
        }
        return result
    }

    /// Like `run`, for an operation on an item found by a search: when another client deleted the
    /// item in between, the answer is nil ("no longer there"), not an error.
    static func runUnlessVanished(
        _ operation: String, deadline: KeyringDeadline,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<GError>?>) -> Bool
    ) throws -> Bool {
        var error: UnsafeMutablePointer<GError>?
        let succeeded = body(&error)
        if let error {
            defer { g_error_free(error) }
            if relay_classify_error(error) == relay_error_no_object { return false }
            throw mapped(error, operation: operation, deadline: deadline)
        }
        guard succeeded else {
            throw TokenStoreError(.keyring, "the keyring failed to \(operation) without saying why")
        }
        return true
    }

    static func mapped(
        _ error: UnsafeMutablePointer<GError>, operation: String, deadline: KeyringDeadline
    ) -> TokenStoreError {
        switch relay_classify_error(error) {
        case relay_error_cancelled, relay_error_timeout:
            return timeout(operation, deadline)
        case relay_error_locked:
            return TokenStoreError(.locked, "the keyring is locked; \(lockedAdvice)")
        case relay_error_no_provider:
            return noProvider
        default:
            // GLib messages describe D-Bus failures; they never contain the secret we send.
            let reason = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            return TokenStoreError(.keyring, "the keyring failed to \(operation): \(reason)")
        }
    }

    static func timeout(_ operation: String, _ deadline: KeyringDeadline) -> TokenStoreError {
        // One decimal at most: "5", "0.5".
        let tenths = Int((deadline.seconds * 10).rounded())
        let seconds = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        return TokenStoreError(
            .timeout,
            "the keyring did not answer within \(seconds) s (\(operation)); if a prompt is waiting, answer it, "
                + "raise RELAY_KEYRING_TIMEOUT, or set RELAY_TOKEN_STORE=encrypted-file")
    }

    static let noProvider = TokenStoreError(
        .noProvider,
        "no Secret Service provider on the session bus (org.freedesktop.secrets has no owner); install and start "
            + "gnome-keyring or KeePassXC (with Secret Service enabled), or set RELAY_TOKEN_STORE=encrypted-file")
}
