// A hidden test helper: writes to the token store configured by the environment, so tests can
// run several writer processes at once and kill one mid-write.
//   TokenStoreStress count N   N locked read-increment-write cycles on a shared counter entry
//   TokenStoreStress forever   rewrite one entry with 8 KiB tokens until killed
//   TokenStoreStress once      write one entry and exit
//   TokenStoreStress bench N   print median save and load times over N rounds (for make bench)
import Foundation
import TokenStores

let counterKey = TokenKey(issuer: "https://stress.example.test", clientID: "counter", resource: "")
let churnKey = TokenKey(issuer: "https://stress.example.test", clientID: "churn", resource: "")

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("token-store-stress: \(message)\n".utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    let configuration = try StoreConfiguration(environment: ProcessInfo.processInfo.environment)
    let store = try TokenStoreFactory.make(configuration).store
    switch arguments.first {
    case "count":
        let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 0 : 0
        for _ in 0..<rounds {
            try store.withLock(counterKey) {
                let current = Int(try store.load(counterKey)?.accessToken ?? "0") ?? 0
                try store.save(TokenSet(accessToken: "\(current + 1)"), for: counterKey)
            }
        }
    case "forever":
        var generation = 0
        while true {
            generation += 1
            let body = String(repeating: "x", count: 8192 - 20)
            try store.save(
                TokenSet(accessToken: "gen-\(generation)-\(body)", refreshToken: "r-\(generation)"),
                for: churnKey)
        }
    case "bench":
        let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 100 : 100
        try runBench(rounds: rounds, configuration: configuration, store: store)
    case "once":
        try store.save(TokenSet(accessToken: "once"), for: churnKey)
    default:
        fail("usage: token-store-stress count N | forever | once | bench N")
    }
} catch {
    fail("\(error)")
}

/// Times a save and a load per round with an 8 KiB token; the very first load goes through a new
/// store instance so it pays any key derivation (scrypt) that later loads have cached.
func runBench(rounds: Int, configuration: StoreConfiguration, store: any TokenStore) throws {
    let key = TokenKey(issuer: "https://bench.example.test", clientID: "bench", resource: "")
    let tokens = TokenSet(accessToken: String(repeating: "a", count: 8192), refreshToken: "r")
    try store.save(tokens, for: key)

    let clock = ContinuousClock()
    let fresh = try TokenStoreFactory.make(configuration).store
    let firstLoad = try clock.measure { _ = try fresh.load(key) }

    var saves: [Duration] = []
    var loads: [Duration] = []
    for _ in 0..<rounds {
        saves.append(try clock.measure { try store.save(tokens, for: key) })
        loads.append(try clock.measure { _ = try store.load(key) })
    }
    try store.clear(key)
    func milliseconds(_ duration: Duration) -> String {
        let components = duration.components
        let value = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return String(format: "%.3f", value)
    }
    // This helper's stdout is read by scripts/bench.py; it is not the relay and has no MCP stream.
    print(
        "\(store.name) first_load_ms=\(milliseconds(firstLoad)) "
            + "save_ms=\(milliseconds(saves.sorted()[rounds / 2])) load_ms=\(milliseconds(loads.sorted()[rounds / 2]))")
}
