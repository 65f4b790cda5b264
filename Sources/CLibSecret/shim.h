#ifndef OAUTH_RELAY_CLIBSECRET_SHIM_H
#define OAUTH_RELAY_CLIBSECRET_SHIM_H

/* Needed for secret_collection_new_for_dbus_path_sync (RELAY_SECRET_COLLECTION=/org/...). */
#define SECRET_API_SUBJECT_TO_CHANGE 1
#include <libsecret/secret.h>
#include <gio/gio.h>
#include <string.h>

/* Small helpers for the parts of GLib/libsecret that Swift cannot call directly (variadic
 * functions, macros, function pointers). Only TokenStores uses them. */

#define RELAY_SECRETS_BUS_NAME "org.freedesktop.secrets"

/* The documented schemas: see docs/token-file-format.md, "Secret Service schema". */
static inline const SecretSchema *relay_token_schema(void) {
    static const SecretSchema schema = {
        "dev.oauth-relay.Token", SECRET_SCHEMA_NONE,
        {
            {"application", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"issuer", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"client_id", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"resource", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {NULL, 0},
        }};
    return &schema;
}

static inline const SecretSchema *relay_client_schema(void) {
    static const SecretSchema schema = {
        "dev.oauth-relay.Client", SECRET_SCHEMA_NONE,
        {
            {"application", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"issuer", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {NULL, 0},
        }};
    return &schema;
}

static inline GHashTable *_Nonnull relay_attributes_new(void) {
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static inline void relay_attributes_set(GHashTable *table, const char *name, const char *value) {
    g_hash_table_replace(table, g_strdup(name), g_strdup(value));
}

static inline const char *relay_attributes_get(GHashTable *table, const char *name) {
    return (const char *)g_hash_table_lookup(table, name);
}

static inline void relay_object_list_free(GList *list) { g_list_free_full(list, g_object_unref); }

/* A private connection to the bus at `address` (never the shared singleton, never autolaunch). */
static inline GDBusConnection *relay_connect(const char *address, GCancellable *cancellable, GError **error) {
    return g_dbus_connection_new_for_address_sync(
        address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, cancellable, error);
}

/* 1 when `name` has an owner or can be activated, 0 when not, -1 on error. */
static inline int relay_name_available(GDBusConnection *connection, const char *name, int timeout_ms,
                                       GCancellable *cancellable, GError **error) {
    GVariant *reply = g_dbus_connection_call_sync(
        connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
        g_variant_new("(s)", name), G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, timeout_ms, cancellable, error);
    if (reply == NULL) return -1;
    gboolean owned = FALSE;
    g_variant_get(reply, "(b)", &owned);
    g_variant_unref(reply);
    if (owned) return 1;
    reply = g_dbus_connection_call_sync(
        connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
        "ListActivatableNames", NULL, G_VARIANT_TYPE("(as)"), G_DBUS_CALL_FLAGS_NONE, timeout_ms, cancellable,
        error);
    if (reply == NULL) return -1;
    GVariant *names = g_variant_get_child_value(reply, 0);
    int found = 0;
    gsize count = g_variant_n_children(names);
    for (gsize index = 0; index < count && !found; index++) {
        const char *candidate = NULL;
        g_variant_get_child(names, index, "&s", &candidate);
        found = candidate != NULL && strcmp(candidate, name) == 0;
    }
    g_variant_unref(names);
    g_variant_unref(reply);
    return found;
}

/* The process's session bus connection (GIO's shared one, which libsecret uses), made not to exit the
 * process when the bus goes away. Call only after checking DBUS_SESSION_BUS_ADDRESS is set: with it
 * unset GIO would try to autolaunch a bus. */
static inline GDBusConnection *relay_session_bus(GCancellable *cancellable, GError **error) {
    GDBusConnection *connection = g_bus_get_sync(G_BUS_TYPE_SESSION, cancellable, error);
    if (connection != NULL) g_dbus_connection_set_exit_on_close(connection, FALSE);
    return connection;
}

typedef enum RelayErrorKind {
    relay_error_other = 0,
    relay_error_cancelled,
    relay_error_timeout,
    relay_error_locked,
    relay_error_no_provider,
    relay_error_no_object,
} RelayErrorKind;

static inline RelayErrorKind relay_classify_error(const GError *error) {
    if (error == NULL) return relay_error_other;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) return relay_error_cancelled;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY))
        return relay_error_timeout;
    if (g_error_matches(error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED)) return relay_error_locked;
    if (g_error_matches(error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)) return relay_error_no_object;
    /* An item deleted by another client between a search and its use: gnome-keyring answers
     * "Object does not exist at path" as an unknown method or object. */
    if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
        return relay_error_no_object;
    if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
        return relay_error_no_provider;
    RelayErrorKind kind = relay_error_other;
    gchar *remote = g_dbus_error_get_remote_error(error);
    if (remote != NULL) {
        if (strcmp(remote, "org.freedesktop.Secret.Error.IsLocked") == 0) kind = relay_error_locked;
        else if (strcmp(remote, "org.freedesktop.Secret.Error.NoSuchObject") == 0) kind = relay_error_no_object;
        else if (strcmp(remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0) kind = relay_error_no_provider;
        g_free(remote);
    }
    return kind;
}

/* Test support only: creates a collection with a known password through gnome-keyring's internal
 * interface (no prompt) and locks it. Returns its object path (free with g_free) or NULL. */
static inline gchar *relay_test_create_locked_collection(GDBusConnection *connection, const char *label,
                                                         const char *password, GError **error) {
    GVariant *reply = g_dbus_connection_call_sync(
        connection, RELAY_SECRETS_BUS_NAME, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
        "OpenSession", g_variant_new("(sv)", "plain", g_variant_new_string("")), G_VARIANT_TYPE("(vo)"),
        G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);
    if (reply == NULL) return NULL;
    GVariant *output = NULL;
    gchar *session = NULL;
    g_variant_get(reply, "(vo)", &output, &session);
    g_variant_unref(output);
    g_variant_unref(reply);
    GVariantBuilder properties;
    g_variant_builder_init(&properties, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&properties, "{sv}", "org.freedesktop.Secret.Collection.Label",
                          g_variant_new_string(label));
    GVariant *secret = g_variant_new(
        "(o@ay@ays)", session, g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, "", 0, 1),
        g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, password, strlen(password), 1), "text/plain");
    reply = g_dbus_connection_call_sync(
        connection, RELAY_SECRETS_BUS_NAME, "/org/freedesktop/secrets",
        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "CreateWithMasterPassword",
        g_variant_new("(@a{sv}@(oayays))", g_variant_builder_end(&properties), secret), G_VARIANT_TYPE("(o)"),
        G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);
    g_free(session);
    if (reply == NULL) return NULL;
    gchar *path = NULL;
    g_variant_get(reply, "(o)", &path);
    g_variant_unref(reply);
    const gchar *paths[] = {path, NULL};
    reply = g_dbus_connection_call_sync(
        connection, RELAY_SECRETS_BUS_NAME, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock",
        g_variant_new("(^ao)", paths), NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);
    if (reply == NULL) { g_free(path); return NULL; }
    g_variant_unref(reply);
    return path;
}

#endif
