// swift-tools-version:6.0
import PackageDescription

/// Warnings are errors in CI (`make lint` / `make test` pass `-Xswiftc -warnings-as-errors`).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "oauth-relay",
    products: [
        .executable(name: "oauth-relay", targets: ["RelayCLI"]),
        .executable(name: "oauth-relay-dev-server", targets: ["DevServerCLI"]),
    ],
    targets: [
        // C libraries, each behind one Swift wrapper module.
        .systemLibrary(
            name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLibSecret", pkgConfig: "libsecret-1",
            providers: [.apt(["libsecret-1-dev", "libglib2.0-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),

        // Wrappers: the only modules that import the C modules above.
        .target(name: "RelayCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(name: "MicroHTTP", dependencies: ["CMicroHTTPD"], swiftSettings: strict),
        .target(name: "CurlHTTP", dependencies: ["CCurl"], swiftSettings: strict),

        .target(name: "JSONWebToken", dependencies: ["RelayCrypto"], swiftSettings: strict),
        .target(
            name: "DevServer", dependencies: ["MicroHTTP", "RelayCrypto", "JSONWebToken"],
            swiftSettings: strict),
        .executableTarget(name: "DevServerCLI", dependencies: ["DevServer"], swiftSettings: strict),

        // Token storage backends; the only module that imports libsecret.
        .target(
            name: "TokenStores", dependencies: ["RelayCrypto", "CLibSecret"],
            swiftSettings: strict),
        // Hidden test helper: a writer process for the multi-process and kill -9 store tests.
        .executableTarget(name: "TokenStoreStress", dependencies: ["TokenStores"], swiftSettings: strict),
        .target(
            name: "OAuthRelay",
            dependencies: ["MicroHTTP", "CurlHTTP", "RelayCrypto", "TokenStores"],
            swiftSettings: strict),
        .executableTarget(name: "RelayCLI", dependencies: ["OAuthRelay"], swiftSettings: strict),

        // Test support: raw loopback connections for tests that speak bytes to their own servers.
        .target(name: "LoopbackSocket", path: "Tests/LoopbackSocket", swiftSettings: strict),
        .testTarget(
            name: "RelayCryptoTests", dependencies: ["RelayCrypto"], swiftSettings: strict),
        .testTarget(
            name: "MicroHTTPTests", dependencies: ["MicroHTTP", "LoopbackSocket"], swiftSettings: strict),
        .testTarget(
            name: "DevServerTests", dependencies: ["DevServer", "JSONWebToken", "LoopbackSocket"],
            swiftSettings: strict),
        .testTarget(
            name: "TokenStoresTests", dependencies: ["TokenStores", "RelayCrypto", "TokenStoreStress"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "OAuthRelayTests", dependencies: ["OAuthRelay", "DevServer"],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests", dependencies: ["DevServer", "OAuthRelay", "MicroHTTP", "LoopbackSocket"],
            swiftSettings: strict),
    ]
)
