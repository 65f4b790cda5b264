import FoundationEssentials

/// How the relay may show a sign-in to a person.
enum BrowserMode: Sendable, Equatable {
    /// Open the configured program with the sign-in URL.
    case open
    /// `RELAY_BROWSER=manual`: listen on the loopback port and log the URL for a person (or a
    /// test) to open by hand.
    case manual
    /// No browser can be opened on this machine: `RELAY_BROWSER=none`, or no graphical session
    /// (neither `DISPLAY` nor `WAYLAND_DISPLAY`) while `RELAY_BROWSER` is not set. A relay then
    /// asks the person to run `oauth-relay login` in a terminal instead of waiting.
    case headless
}

extension RelayConfiguration {
    /// The browser mode these settings ask for.
    var browserMode: BrowserMode {
        let setting = settings["RELAY_BROWSER"]?.trimmingWhitespace() ?? ""
        switch setting {
        case "none": return .headless
        case "manual": return .manual
        case "":
            let display = [settings["DISPLAY"], settings["WAYLAND_DISPLAY"]].contains { !($0 ?? "").isEmpty }
            return display ? .open : .headless
        default: return .open
        }
    }
}
