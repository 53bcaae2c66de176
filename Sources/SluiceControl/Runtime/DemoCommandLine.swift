import SluiceHTTP

/// The `--demo` part of the `sluice-control` command line: where the embedded data plane listens.
/// Present (non-nil `ControlCommandLine.demo`) exactly when `--demo` was given.
public struct DemoCommandLine: Sendable, Equatable {
    /// `--proxy-listen`, default `127.0.0.1:8080`.
    public var proxyListenAddress: SocketAddress
    /// `--proxy-admin-listen` (`/health`, `/ready`, `/status`), default `127.0.0.1:8081`; nil
    /// with `--proxy-admin-listen off`.
    public var proxyAdminAddress: SocketAddress?
    /// `--demo-upstream-listen`, default `127.0.0.1:9001`.
    public var upstreamAddress: SocketAddress
    /// True when `--demo-upstream-listen` was not given: if 9001 is taken the demo upstream takes
    /// a free port instead (and the stored `demo` upstream is repointed). A given address that
    /// is taken is a startup failure.
    public var upstreamMayMove: Bool

    public static let defaultProxyListenAddress = SocketAddress.loopbackIPv4(port: 8080)
    public static let defaultProxyAdminAddress = SocketAddress.loopbackIPv4(port: 8081)
    public static let defaultUpstreamAddress = SocketAddress.loopbackIPv4(port: 9001)
    /// `--db` under `--demo` when not given; `./data/` is created at start if missing.
    public static let defaultDatabasePath = "./data/sluice.db"

    public init(proxyListenAddress: SocketAddress = DemoCommandLine.defaultProxyListenAddress,
                proxyAdminAddress: SocketAddress? = DemoCommandLine.defaultProxyAdminAddress,
                upstreamAddress: SocketAddress = DemoCommandLine.defaultUpstreamAddress, upstreamMayMove: Bool = true) {
        self.proxyListenAddress = proxyListenAddress
        self.proxyAdminAddress = proxyAdminAddress
        self.upstreamAddress = upstreamAddress
        self.upstreamMayMove = upstreamMayMove
    }
}
