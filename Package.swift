// swift-tools-version:6.0
// Sluice: an API gateway. No Swift package dependencies by design: only the toolchain and the
// system libraries SQLite and OpenSSL (see shared/DESIGN.md §3).
import PackageDescription

/// Release builds of the hot-path modules drop exclusivity checks: they are pure overhead on code
/// that is single-threaded per event loop by construction.
let hotPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Sluice",
    products: [
        .executable(name: "sluice-proxy", targets: ["sluice-proxy"]),
        .executable(name: "sluice-control", targets: ["sluice-control"]),
        .executable(name: "sluicectl", targets: ["sluicectl"]),
    ],
    targets: [
        // C edge: our own header shim for epoll/eventfd/timerfd/sockets, and the system libraries.
        .target(name: "CSystem", path: "Sources/CSystem"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),

        // The HTTP engine: event loops, HTTP/1.1 codec, server, client, pools. Knows nothing of gateways.
        .target(name: "SluiceHTTP", dependencies: ["CSystem"], swiftSettings: hotPathSettings),
        // The snapshot model shared by both planes: JSON, validation, diff. Knows nothing of sockets.
        .target(name: "SluiceConfig"),
        // Traffic policies: JWT / API-key authentication, tiers, rate limiting. No sockets either.
        .target(name: "SluicePolicy", dependencies: ["SluiceConfig", "COpenSSL"], swiftSettings: hotPathSettings),
        // The two planes.
        .target(name: "SluiceProxy", dependencies: ["SluiceHTTP", "SluiceConfig", "SluicePolicy"],
                swiftSettings: hotPathSettings),
        .target(name: "SluiceControl", dependencies: ["SluiceHTTP", "SluiceConfig", "CSQLite", "COpenSSL"]),

        // Thin mains.
        .executableTarget(name: "sluice-proxy", dependencies: ["SluiceProxy"]),
        .executableTarget(name: "sluice-control", dependencies: ["SluiceControl", "SluiceProxy"]),
        .executableTarget(name: "sluicectl", dependencies: ["SluiceHTTP", "SluiceConfig"], path: "admin-cli"),
        // The engine's static "hello" server, for the benchmark against nginx.
        .executableTarget(name: "sluice-hello", dependencies: ["SluiceHTTP"], path: "bench/sluice-hello",
                          swiftSettings: hotPathSettings),
        // JWT verifications/s per algorithm and cached-verify cost (release builds only).
        .executableTarget(name: "sluice-jwt-bench", dependencies: ["SluicePolicy", "SluiceConfig"], path: "bench/jwt-bench",
                          swiftSettings: hotPathSettings),
        // Rate-limit engine micro-benchmark: ns per decision, 1 and 2 threads.
        .executableTarget(name: "sluice-ratelimit-bench", dependencies: ["SluicePolicy"],
                          path: "bench/ratelimit-bench", swiftSettings: hotPathSettings),

        // Tests. Shared support (servers, clients, temp dirs, child processes) is written once here.
        .target(name: "SluiceTestSupport", dependencies: ["SluiceHTTP"], path: "Tests/SluiceTestSupport"),
        .testTarget(name: "SluiceHTTPTests", dependencies: ["SluiceHTTP", "SluiceTestSupport"]),
        .testTarget(name: "SluiceConfigTests", dependencies: ["SluiceConfig"]),
        .testTarget(name: "SluicePolicyTests", dependencies: ["SluicePolicy", "SluiceConfig"]),
        .testTarget(name: "SluiceProxyTests",
                    dependencies: ["SluiceProxy", "SluiceConfig", "SluiceHTTP", "SluicePolicy", "SluiceTestSupport"]),
        .testTarget(name: "SluiceControlTests", dependencies: ["SluiceControl", "SluiceConfig", "SluiceHTTP", "SluiceTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
