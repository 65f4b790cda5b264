import CCurl
import Dispatch
import Synchronization

/// One libcurl multi handle driven by a thread of its own: every transfer of the process shares
/// its connection cache (keep-alive), and other threads only queue work and wake it up.
public final class CurlEngine: @unchecked Sendable {
    /// The process's engine; its thread lives as long as the process.
    public static let shared = CurlEngine()

    private enum Command {
        case add(Transfer)
        case remove(Transfer)
        case resume(Transfer)
    }

    // The multi handle is used by the engine thread only, except curl_multi_wakeup (thread-safe).
    private let multi: UnsafeMutableRawPointer
    private let commands = Mutex<[Command]>([])
    /// Transfers in flight by easy handle; the engine thread's alone.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    private init() {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let multi = curl_multi_init() else {
            fatalError("libcurl could not create a multi handle (out of memory)")
        }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 64)
        // A queue of its own, so the engine's loop has a thread to itself for good.
        DispatchQueue(label: "oauth-relay curl").async { [self] in run() }
    }

    /// Starts a transfer; its sink hears the outcome on the engine thread.
    func submit(_ transfer: Transfer) {
        commands.withLock { $0.append(.add(transfer)) }
        curl_multi_wakeup(multi)
    }

    /// Lets a transfer paused by its sink go on.
    func resume(_ transfer: Transfer) {
        commands.withLock { $0.append(.resume(transfer)) }
        curl_multi_wakeup(multi)
    }

    /// Stops a transfer if it is still running; its sink then hears `.cancelled`.
    func cancel(_ transfer: Transfer) {
        transfer.cancelRequested.store(true, ordering: .relaxed)
        commands.withLock { $0.append(.remove(transfer)) }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var running: Int32 = 0
        while true {
            let queued = commands.withLock { queue in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            for command in queued {
                apply(command)
            }
            curl_multi_perform(multi, &running)
            reapFinished()
            let wait = expireIdle()
            curl_multi_poll(multi, nil, 0, wait, nil)
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .add(let transfer):
            if transfer.cancelRequested.load(ordering: .relaxed) {
                transfer.finishCancelled()
                return
            }
            let code = curl_multi_add_handle(multi, transfer.easy)
            guard code == CURLM_OK else {
                let text = String(cString: curl_multi_strerror(code))
                transfer.sink.onDone(.failure(CurlError(kind: .other, detail: text)))
                return
            }
            transfer.started()
            active[transfer.easy] = transfer
        case .remove(let transfer):
            guard active.removeValue(forKey: transfer.easy) != nil else { return }
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.finishCancelled()
        case .resume(let transfer):
            if active[transfer.easy] != nil { transfer.resume() }
        }
    }

    /// Ends transfers that went without a byte for their idle timeout.
    /// - Returns: milliseconds until the next transfer could expire, at most one second.
    private func expireIdle() -> Int32 {
        let now = ContinuousClock.now
        var wait = Duration.seconds(1)
        // Waiting for a connection is bounded by libcurl's connect timeout, not by this one.
        for (easy, transfer) in active where !transfer.paused && transfer.connected {
            let deadline = transfer.lastActivity + transfer.idleTimeout
            if deadline <= now {
                active.removeValue(forKey: easy)
                curl_multi_remove_handle(multi, easy)
                transfer.finishTimedOut()
            } else {
                wait = min(wait, deadline - now)
            }
        }
        let (seconds, attoseconds) = wait.components
        return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000) + 1
    }

    private func reapFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            active.removeValue(forKey: easy)?.finish(code)
        }
    }
}
