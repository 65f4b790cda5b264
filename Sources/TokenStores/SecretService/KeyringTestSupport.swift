import CLibSecret
import FoundationEssentials
import RelayCrypto

/// Support for the keyring tests: a locked collection created without any prompt.
///
/// Uses gnome-keyring's internal interface, so it works only with gnome-keyring (as in
/// scripts/with-keyring.sh). Not used by the relay itself.
enum KeyringTestSupport {
    /// Creates a collection with a random password, locks it, and returns its object path.
    static func createLockedCollection(busAddress: String, label: String) throws -> String {
        let deadline = KeyringDeadline(seconds: 10)
        let session = KeyringSession(busAddress: busAddress)
        _ = try session.service(deadline)
        guard let connection = session.dbusConnection else {
            throw TokenStoreError(.noSessionBus, "no connection")
        }
        let password = try SecureRandom.token()
        let path = try KeyringCall.run("create a locked collection", deadline: deadline) { error in
            relay_test_create_locked_collection(connection, label, password, error)
        }
        defer { g_free(path) }
        return String(cString: path)
    }
}
