import Foundation
import SluiceConfig
import SluiceHTTP

/// The whole `sluice-proxy` process once its command line is parsed: load the config, start the
/// proxy and admin servers, print the listening line, then serve signals until told to stop.
/// With `--control-plane` the config comes from the sync thread (`ControlPlaneSource`) instead,
/// after the last-known-good cache (if any) was installed at start.
///
/// Threads: `run` keeps the calling (main) thread as the signal thread. SIGHUP reloads the
/// config on it — read, decode, validate and compile happen there, never on a proxy worker —
/// and SIGTERM/SIGINT drain both servers. `TerminationSignals.block()` must have run before any
/// thread was started (so no thread takes those signals asynchronously).
public final class ProxyProcess {
    public let commandLine: ProxyCommandLine
    public let status: ProxyStatus
    /// The `--config` file; nil with `--control-plane`.
    private let source: SnapshotFileSource?
    let installer: SnapshotInstaller
    /// The compiled config in service, read by every proxy worker (RCU).
    public let store = ConfigStore()
    /// Rate-limit buckets and trusted proxies, shared by every worker for the process's life.
    public let runtime: PolicyRuntime

    /// How long in-flight proxy requests may take to finish after SIGTERM/SIGINT.
    public var drainDeadline: Duration = .seconds(10)

    public init(commandLine: ProxyCommandLine) {
        self.commandLine = commandLine
        runtime = PolicyRuntime(rateLimitKeys: commandLine.rateLimitKeys, trustedProxies: commandLine.trustedProxies)
        if let controlPlane = commandLine.controlPlane {
            source = nil
            status = ProxyStatus(source: "control-plane:" + controlPlane.url, workers: commandLine.workers,
                                 controlPlaneURL: controlPlane.url)
        } else {
            let file = SnapshotFileSource(path: commandLine.configPath ?? "")
            source = file
            status = ProxyStatus(source: file.sourceName, workers: commandLine.workers)
        }
        let store = store
        installer = SnapshotInstaller(status: status) { snapshot in
            store.publish(try ConfigCompiler.compile(snapshot))
        }
    }

    /// Runs until SIGTERM or SIGINT and returns the exit status: 0 after a drained shutdown,
    /// 1 when the first config cannot be loaded or a listener cannot be started.
    public func run(signals: TerminationSignals) -> Int32 {
        if let controlPlane = commandLine.controlPlane {
            return runFollowing(controlPlane, signals: signals)
        }
        guard let source else { return 1 }
        do {
            let snapshot = try source.load(into: installer)
            ProxyLog.info("config_applied", "loaded config version \(snapshot.version) from \(source.path)",
                          ["version": .int(snapshot.version), "source": .string(source.path), "reload": .bool(false)])
        } catch {
            ProxyLog.configRefused(error, prefix: "cannot start: config \(source.path)", source: source.path)
            return 1
        }
        let servers: ProxyServers
        do {
            servers = try startServers()
        } catch {
            ProxyLog.error("start_failed", "cannot start: \(error)")
            return 1
        }
        return serveSignals(signals, servers: servers)
    }

    /// `--control-plane`: install the cached snapshot (if any), start listening at once, then
    /// start the sync thread; it swaps in each new version as it arrives.
    private func runFollowing(_ controlPlane: ControlPlaneSettings, signals: TerminationSignals) -> Int32 {
        let token: String
        switch Self.dataplaneToken(controlPlane) {
        case .success(let value): token = value
        case .failure(let reason):
            ProxyLog.error("start_failed", "cannot start: \(reason)")
            return 1
        }
        let hostname = ProcessInfo.processInfo.hostName
        let cache = controlPlane.cacheDirectory.map { SnapshotCache(directory: $0) }
        var appliedVersion = 0
        if let cache {
            if let loaded = cache.loadNewest(into: installer) {
                appliedVersion = loaded.snapshot.version
                status.setSource("cache:" + loaded.path)
                ProxyLog.info("config_applied", "serving cached config version \(loaded.snapshot.version) from \(loaded.path) until the control plane answers",
                              ["version": .int(loaded.snapshot.version), "source": .string("cache:" + loaded.path)])
            } else {
                ProxyLog.warning("cache_empty", "no usable cached config in \(cache.directory); answering 503 until the control plane sends one")
            }
        }
        let servers: ProxyServers
        do {
            servers = try startServers()
        } catch {
            ProxyLog.error("start_failed", "cannot start: \(error)")
            return 1
        }
        let setup = ControlPlaneSync.Setup(settings: controlPlane, token: token, nodeID: controlPlane.nodeID ?? hostname,
                                           hostname: hostname, installer: installer, cache: cache, appliedVersion: appliedVersion)
        let sync: ControlPlaneSource
        do {
            sync = try ControlPlaneSource(setup: setup)
        } catch {
            ProxyLog.error("start_failed", "cannot start the sync thread: \(error)")
            servers.stop()
            return 1
        }
        let exitStatus = serveSignals(signals, servers: servers)
        sync.stop()
        return exitStatus
    }

    /// The data-plane token from `--dataplane-token-file`, else `SLUICE_DATAPLANE_TOKEN`.
    static func dataplaneToken(_ controlPlane: ControlPlaneSettings) -> Result<String, TokenError> {
        let raw: String
        if let path = controlPlane.tokenFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                return .failure(TokenError(reason: "cannot read --dataplane-token-file \(path)"))
            }
            raw = String(decoding: data, as: UTF8.self)
        } else if let value = ProcessInfo.processInfo.environment["SLUICE_DATAPLANE_TOKEN"] {
            raw = value
        } else {
            return .failure(TokenError(reason: "--control-plane needs a data-plane token: --dataplane-token-file FILE or SLUICE_DATAPLANE_TOKEN"))
        }
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(TokenError(reason: "the data-plane token is empty or holds characters other than visible ASCII"))
        }
        return .success(token)
    }

    /// Why the servers could not start (a listener, the loops, the access log sink).
    struct ProxyStartError: Error, CustomStringConvertible {
        var description: String
    }

    struct TokenError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Starts the proxy server and the admin server (if asked for) and prints the listening line.
    private func startServers() throws(ProxyStartError) -> ProxyServers {
        let bound = try bindServers()
        var line = "listening proxy=\(bound.proxyAddress)"
        if let adminAddress = bound.adminAddress { line += " admin=\(adminAddress)" }
        ProcessOutput.standardOutput.write(line: line)
        ProxyLog.info("listening", line, ["proxy": .string("\(bound.proxyAddress)"),
                                          "admin": bound.adminAddress.map { .string("\($0)") } ?? .null,
                                          "workers": .int(commandLine.workers)])
        return bound
    }

    /// The metrics registry and the access log writer the command line asks for.
    func makeObservability() throws(ProxyStartError) -> ProxyObservability {
        var writer: BatchedLogWriter?
        let sink: LogSink?
        switch commandLine.accessLog {
        case .off: sink = nil
        case .standardOutput: sink = LogSink.standardOutput()
        case .file(let path):
            do {
                sink = try LogSink.appending(to: path)
            } catch {
                throw ProxyStartError(description: "--access-log \(path): \(error)")
            }
        }
        if let sink {
            do {
                writer = try BatchedLogWriter(sink: sink, threadName: "sluice-accesslog")
            } catch {
                sink.close()
                throw ProxyStartError(description: "access log writer thread: \(error)")
            }
        }
        return ProxyObservability(metrics: commandLine.metrics ? ProxyMetricsRegistry() : nil, accessLog: writer,
                                  accessLogIncludesQuery: commandLine.accessLogQuery)
    }

    /// Starts the proxy server and the admin server (if asked for) on the proxy's own loops.
    func bindServers() throws(ProxyStartError) -> ProxyServers {
        let observability = try makeObservability()
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(loopCount: commandLine.workers, name: "sluice-proxy")
        } catch {
            observability.accessLog?.close()
            throw ProxyStartError(description: "\(error)")
        }
        do {
            return try bindServers(group: group, observability: observability)
        } catch {
            observability.accessLog?.close()
            group.stop()
            group.wait()
            throw ProxyStartError(description: "\(error)")
        }
    }

    private func bindServers(group: EventLoopGroup, observability: ProxyObservability) throws(SystemError) -> ProxyServers {
        var proxyConfiguration = HTTPServer.Configuration(listenAddress: commandLine.listenAddress)
        proxyConfiguration.workers = commandLine.workers
        proxyConfiguration.drainDeadline = drainDeadline
        let store = store
        let runtime = runtime
        let proxy = try HTTPServer(configuration: proxyConfiguration, group: group) { loop in
            ProxyHandler(loop: loop, store: store, runtime: runtime, observability: observability)
        }
        var proxyAddress = commandLine.listenAddress
        proxyAddress.port = try proxy.start()
        var servers = [proxy]
        var boundAdmin: SocketAddress?
        if var adminAddress = commandLine.adminAddress {
            var adminConfiguration = HTTPServer.Configuration(listenAddress: adminAddress)
            adminConfiguration.workers = 1
            adminConfiguration.drainDeadline = .seconds(1)
            let status = status
            let admin: HTTPServer
            do {
                admin = try HTTPServer(configuration: adminConfiguration) { loop in
                    AdminHandler(status: status, loop: loop, observability: observability)
                }
                adminAddress.port = try admin.start()
            } catch {
                proxy.shutdown()
                proxy.wait()
                throw error
            }
            servers.append(admin)
            boundAdmin = adminAddress
        }
        return ProxyServers(servers: servers, group: group, observability: observability, proxyAddress: proxyAddress,
                            adminAddress: boundAdmin)
    }

    private func serveSignals(_ signals: TerminationSignals, servers: ProxyServers) -> Int32 {
        var exitStatus: Int32 = 0
        while true {
            let signal: Int32
            do {
                signal = try signals.next()
            } catch {
                ProxyLog.error("signals_failed", "reading signals failed: \(error); shutting down")
                exitStatus = 1
                break
            }
            if signal == TerminationSignals.hangup {
                reload()
            } else {
                ProxyLog.info("shutdown", "signal \(signal): draining in-flight requests", ["signal": .int(Int(signal))])
                break
            }
        }
        servers.stop()
        ProxyLog.info("stopped", "stopped", ["exit_status": .int(Int(exitStatus))])
        return exitStatus
    }

    /// SIGHUP: re-read `--config`; a refused file leaves the current config serving.
    public func reload() {
        guard let source else {
            ProxyLog.warning("reload_ignored", "SIGHUP ignored: the config follows the control plane")
            return
        }
        do {
            let snapshot = try source.load(into: installer)
            ProxyLog.info("config_applied", "reloaded config version \(snapshot.version) from \(source.path)",
                          ["version": .int(snapshot.version), "source": .string(source.path), "reload": .bool(true)])
        } catch {
            ProxyLog.configRefused(error, prefix: "reload refused", source: source.path)
        }
    }
}
