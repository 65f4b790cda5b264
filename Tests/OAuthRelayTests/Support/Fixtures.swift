import Foundation
import Testing

@testable import OAuthRelay

/// Metadata JSON with the required fields, overridable field by field (nil removes a field).
func metadataJSON(_ overrides: [String: Any?] = [:]) -> Data {
    var object: [String: Any] = [
        "issuer": "https://as.example.test",
        "authorization_endpoint": "https://as.example.test/authorize",
        "token_endpoint": "https://as.example.test/token",
        "code_challenge_methods_supported": ["S256"],
    ]
    for (name, value) in overrides { object[name] = value }
    return (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
}

func metadata(_ overrides: [String: Any?] = [:]) throws -> AuthorizationServerMetadata {
    try AuthorizationServerMetadata(
        json: metadataJSON(overrides),
        from: URL(string: "https://as.example.test/.well-known/oauth-authorization-server") ?? URL(filePath: "/"))
}

/// A configuration from settings on top of a minimal valid set.
func configuration(_ settings: [String: String] = [:]) throws -> RelayConfiguration {
    let base = ["RELAY_BACKEND_URL": "https://api.example.test", "RELAY_BROWSER": "none"]
    return try RelayConfiguration(settings: base.merging(settings) { _, new in new })
}
