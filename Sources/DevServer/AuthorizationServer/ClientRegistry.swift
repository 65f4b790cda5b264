import Synchronization

/// The clients the authorization server knows: configured ones plus dynamically registered ones.
final class ClientRegistry: Sendable {
    private let clients: Mutex<[String: DevClient]>
    private let configured: Set<String>

    init(_ configured: [DevClient]) {
        clients = Mutex(Dictionary(configured.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        self.configured = Set(configured.map(\.id))
    }

    /// Forgets every dynamically registered client, as a restart would (a test control).
    func forgetRegistered() -> Int {
        clients.withLock { clients in
            let registered = clients.keys.filter { !configured.contains($0) }
            registered.forEach { clients[$0] = nil }
            return registered.count
        }
    }

    func client(_ id: String) -> DevClient? {
        clients.withLock { $0[id] }
    }

    func register(_ client: DevClient) {
        clients.withLock { $0[client.id] = client }
    }

    /// True when `redirectURI` is acceptable for `client`: loopback, and matching a registered
    /// URI up to the port when the client registered any.
    func accepts(_ redirectURI: String, for client: DevClient) -> Bool {
        guard LoopbackRedirect.isValid(redirectURI) else { return false }
        guard !client.redirectURIs.isEmpty else { return true }
        return client.redirectURIs.contains { LoopbackRedirect.matches(redirectURI, registered: $0) }
    }
}
