// A hidden test helper: writes to the token store configured by the environment, so tests can
// run several writer processes at once and kill one mid-write.
//   TokenStoreStress count N   N locked read-increment-write cycles on a shared counter entry
//   TokenStoreStress forever   rewrite one entry with 8 KiB tokens until killed
//   TokenStoreStress once      write one entry and exit
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
            try store.save(TokenSet(accessToken: "gen-\(generation)-\(body)", refreshToken: "r-\(generation)"),
                           for: churnKey)
        }
    case "once":
        try store.save(TokenSet(accessToken: "once"), for: churnKey)
    default:
        fail("usage: token-store-stress count N | forever | once")
    }
} catch {
    fail("\(error)")
}
