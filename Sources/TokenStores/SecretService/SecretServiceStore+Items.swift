import CLibSecret
import FoundationEssentials
import RelayCrypto

/// The item operations behind `SecretServiceStore`, on libsecret's synchronous API.
extension SecretServiceStore {
    func readSecret(
        _ schema: UnsafePointer<SecretSchema>, _ attributes: [String: String], session: KeyringSession,
        deadline: KeyringDeadline
    ) throws -> [UInt8]? {
        try withItems(schema, attributes, session: session, deadline: deadline) { items in
            guard let item = items.first else { return nil }
            return try secret(of: item, deadline: deadline)
        }
    }

    func writeSecret(
        _ secret: [UInt8], _ schema: UnsafePointer<SecretSchema>, _ attributes: [String: String], label: String,
        session: KeyringSession, deadline: KeyringDeadline
    ) throws {
        let collection = try session.collection(options.collection, deadline)
        defer { g_object_unref(collection) }
        let table = Self.hashTable(attributes)
        defer { g_hash_table_unref(table) }
        let value = secret.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                secret_value_new(chars.baseAddress, gssize(chars.count), "text/plain")
            }
        }
        defer { if let value { secret_value_unref(UnsafeMutableRawPointer(value)) } }
        let item = try KeyringCall.run("store an item", deadline: deadline) { error in
            secret_item_create_sync(
                collection, schema, table, label, value, SECRET_ITEM_CREATE_REPLACE, deadline.cancellable, error)
        }
        g_object_unref(item)
    }

    func deleteItems(
        _ schema: UnsafePointer<SecretSchema>, _ attributes: [String: String], session: KeyringSession,
        deadline: KeyringDeadline
    ) throws {
        try withItems(schema, attributes, session: session, deadline: deadline) { items in
            for item in items {
                // An item another relay deleted meanwhile is gone already: nothing to do.
                _ = try KeyringCall.runUnlessVanished("delete an item", deadline: deadline) { error in
                    secret_item_delete_sync(item, deadline.cancellable, error) != 0
                }
            }
        }
    }

    func listTokens(session: KeyringSession, deadline: KeyringDeadline) throws -> [(key: TokenKey, tokens: TokenSet)] {
        try withItems(relay_token_schema(), ["application": Self.application], session: session, deadline: deadline) {
            items in
            try items.compactMap { item -> (key: TokenKey, tokens: TokenSet)? in
                let table = secret_item_get_attributes(item)
                defer { if let table { g_hash_table_unref(table) } }
                func attribute(_ name: String) -> String {
                    table.flatMap { relay_attributes_get($0, name) }.map { String(cString: $0) } ?? ""
                }
                let key = TokenKey(
                    issuer: attribute("issuer"), clientID: attribute("client_id"),
                    resource: attribute("resource"))
                // An item deleted by another client since the search is skipped.
                guard var bytes = try secret(of: item, deadline: deadline) else { return nil }
                defer { SecureZero.wipe(&bytes) }
                return (key, try TokenCoding.decode(TokenSet.self, from: bytes, source: "the keyring item for \(key)"))
            }
        }
    }

    /// Searches the configured collection (never unlocking anything) and passes the items to `body`.
    private func withItems<T>(
        _ schema: UnsafePointer<SecretSchema>, _ attributes: [String: String], session: KeyringSession,
        deadline: KeyringDeadline, _ body: ([UnsafeMutablePointer<SecretItem>]) throws -> T
    ) throws -> T {
        let collection = try session.collection(options.collection, deadline)
        defer { g_object_unref(collection) }
        let table = Self.hashTable(attributes)
        defer { g_hash_table_unref(table) }
        var error: UnsafeMutablePointer<GError>?
        let list = secret_collection_search_sync(
            collection, schema, table, SECRET_SEARCH_ALL, deadline.cancellable, &error)
        defer { if let list { relay_object_list_free(list) } }
        if let error {
            defer { g_error_free(error) }
            throw KeyringCall.mapped(error, operation: "search the keyring", deadline: deadline)
        }
        var items: [UnsafeMutablePointer<SecretItem>] = []
        var node = list
        while let current = node {
            if let data = current.pointee.data { items.append(data.assumingMemoryBound(to: SecretItem.self)) }
            node = current.pointee.next
        }
        return try body(items)
    }

    /// The item's secret bytes; `.locked` for a locked item (never "not found").
    private func secret(of item: UnsafeMutablePointer<SecretItem>, deadline: KeyringDeadline) throws -> [UInt8]? {
        guard secret_item_get_locked(item) == 0 else {
            throw TokenStoreError(.locked, "the keyring item is locked; \(KeyringCall.lockedAdvice)")
        }
        let present = try KeyringCall.runUnlessVanished("read an item's secret", deadline: deadline) { error in
            secret_item_load_secret_sync(item, deadline.cancellable, error) != 0
        }
        guard present else { return nil }
        guard let value = secret_item_get_secret(item) else { return nil }
        defer { secret_value_unref(UnsafeMutableRawPointer(value)) }
        var length: gsize = 0
        guard let pointer = secret_value_get(value, &length) else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
    }

    private static func hashTable(_ attributes: [String: String]) -> OpaquePointer {
        let table = relay_attributes_new()
        for (name, value) in attributes { relay_attributes_set(table, name, value) }
        return table
    }
}
