import FoundationEssentials
import Glibc
import Synchronization

/// A one-line spinner with elapsed time on standard error while the user acts elsewhere.
///
/// Drawn only when standard error is a terminal; otherwise silent, so logs and pipes get no
/// control characters. Never shows anything secret: the caller's message is shown as given.
final class ProgressIndicator: Sendable {
    private struct State {
        var message: String
        var stopped = false
    }

    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    private let state: Mutex<State>
    private let enabled: Bool
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(message: String, enabled: Bool = isatty(2) == 1) {
        state = Mutex(State(message: message))
        self.enabled = enabled
        guard enabled else { return }
        let started = ContinuousClock.now
        let drawing = Task { [weak self] in
            var frame = 0
            while !Task.isCancelled, let self {
                let seconds = (ContinuousClock.now - started).components.seconds
                self.draw("\(Self.frames[frame % Self.frames.count]) \(self.message) (\(seconds) s)")
                frame += 1
                try? await Task.sleep(for: .milliseconds(120))
            }
        }
        task.withLock { $0 = drawing }
    }

    /// The text shown next to the spinner.
    var message: String {
        get { state.withLock { $0.message } }
        set { state.withLock { $0.message = newValue } }
    }

    /// Stops and erases the line. Safe to call more than once.
    func stop() {
        task.withLock { $0?.cancel() }
        let wasRunning = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        if enabled && wasRunning { Logger.standardError("\r\u{1B}[2K") }
    }

    /// Writes other text (e.g. a log line) on a clean line; the spinner redraws below it.
    func interrupt(with text: String) {
        state.withLock { _ in Logger.standardError((enabled ? "\r\u{1B}[2K" : "") + text) }
    }

    private func draw(_ line: String) {
        state.withLock { state in
            guard !state.stopped else { return }
            Logger.standardError("\r\u{1B}[2K" + line)
        }
    }
}
