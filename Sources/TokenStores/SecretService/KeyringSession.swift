import CLibSecret
import FoundationEssentials

/// A private D-Bus connection and `SecretService` proxy for one store, opened on first use.
///
/// Not thread-safe by itself (hence `@unchecked Sendable`): `SecretServiceStore` serialises
/// every use behind a mutex.
final class KeyringSession: @unchecked Sendable {
    private let busAddress: String?
    private var connection: OpaquePointer?
    private var service: UnsafeMutablePointer<SecretService>?

    init(busAddress: String?) {
        self.busAddress = busAddress
    }

    deinit { close() }

    /// The service proxy, checking in order: a session bus is configured, it can be reached,
    /// a Secret Service provider is on it.
    func service(_ deadline: KeyringDeadline) throws -> UnsafeMutablePointer<SecretService> {
        if let service, let connection, g_dbus_connection_is_closed(connection) == 0 { return service }
        close()
        guard let busAddress, !busAddress.isEmpty else { throw Self.noSessionBus }
        // GIO would start a bus through X11 for this address; the relay never launches anything.
        guard !busAddress.hasPrefix("autolaunch:") else { throw Self.noSessionBus }

        var error: UnsafeMutablePointer<GError>?
        guard let connection = relay_connect(busAddress, deadline.cancellable, &error) else {
            if deadline.expired { throw KeyringCall.timeout("connect to the session bus", deadline) }
            let reason = error?.pointee.message.map { String(cString: $0) } ?? "unknown error"
            if let error { g_error_free(error) }
            throw TokenStoreError(
                .noSessionBus, "cannot connect to the D-Bus session bus at DBUS_SESSION_BUS_ADDRESS: \(reason)")
        }
        self.connection = connection
        let timeoutMS = Int32(min(deadline.seconds * 1000, Double(Int32.max)))
        let available = relay_name_available(
            connection, "org.freedesktop.secrets", timeoutMS, deadline.cancellable, &error)
        if let error {
            defer { g_error_free(error) }
            throw KeyringCall.mapped(error, operation: "look for a Secret Service provider", deadline: deadline)
        }
        guard available == 1 else { throw KeyringCall.noProvider }

        // libsecret talks over GIO's shared session connection, which GIO opens from the process
        // environment; refuse rather than silently use a different bus than the one checked above.
        guard ProcessInfo.processInfo.environment["DBUS_SESSION_BUS_ADDRESS"] == busAddress else {
            throw TokenStoreError(
                .misconfigured,
                "the keyring backend can only use the process's own session bus (DBUS_SESSION_BUS_ADDRESS)")
        }
        let shared = try KeyringCall.run("connect to the session bus", deadline: deadline) { error in
            relay_session_bus(deadline.cancellable, error)
        }
        g_object_unref(UnsafeMutableRawPointer(shared))
        let service = try KeyringCall.run("open the Secret Service", deadline: deadline) { error in
            secret_service_open_sync(
                secret_service_get_type(), nil, SECRET_SERVICE_NONE, deadline.cancellable, error)
        }
        self.service = service
        return service
    }

    /// The collection named by `RELAY_SECRET_COLLECTION`: an alias (`default`, `session`, …) or
    /// an object path. Throws `.locked` when it is locked, so a locked keyring never reads as
    /// "no token stored".
    func collection(
        _ name: String, _ deadline: KeyringDeadline
    ) throws -> UnsafeMutablePointer<SecretCollection> {
        let service = try service(deadline)
        var error: UnsafeMutablePointer<GError>?
        let collection: UnsafeMutablePointer<SecretCollection>?
        if name.hasPrefix("/") {
            collection = secret_collection_new_for_dbus_path_sync(
                service, name, SECRET_COLLECTION_NONE, deadline.cancellable, &error)
        } else {
            collection = secret_collection_for_alias_sync(
                service, name, SECRET_COLLECTION_NONE, deadline.cancellable, &error)
        }
        if let error {
            defer { g_error_free(error) }
            throw KeyringCall.mapped(error, operation: "open the keyring collection \(name)", deadline: deadline)
        }
        guard let collection else {
            throw TokenStoreError(
                .misconfigured,
                "the keyring has no collection \"\(name)\"; create a default keyring (e.g. \"login\" in Seahorse), "
                    + "or set RELAY_SECRET_COLLECTION=session (kept in memory until logout)")
        }
        if secret_collection_get_locked(collection) != 0 {
            g_object_unref(collection)
            throw TokenStoreError(.locked, "the keyring collection \"\(name)\" is locked; \(KeyringCall.lockedAdvice)")
        }
        return collection
    }

    /// The connection, for test support.
    var dbusConnection: OpaquePointer? { connection }

    private func close() {
        if let service { g_object_unref(service) }
        if let connection { g_object_unref(UnsafeMutableRawPointer(connection)) }
        service = nil
        connection = nil
    }

    static let noSessionBus = TokenStoreError(
        .noSessionBus,
        "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset), so the Secret Service keyring cannot be "
            + "reached; run inside a desktop session, or set RELAY_TOKEN_STORE=encrypted-file")
}
