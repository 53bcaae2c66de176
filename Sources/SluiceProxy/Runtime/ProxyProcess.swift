import SluiceConfig
import SluiceHTTP

/// The whole `sluice-proxy` process once its command line is parsed: load the config, start the
/// proxy and admin servers, print the listening line, then serve signals until told to stop.
///
/// Threads: `run` keeps the calling (main) thread as the signal thread. SIGHUP reloads the
/// config on it — read, decode, validate and compile happen there, never on a proxy worker —
/// and SIGTERM/SIGINT drain both servers. `TerminationSignals.block()` must have run before any
/// thread was started (so no thread takes those signals asynchronously).
public final class ProxyProcess {
    public let commandLine: ProxyCommandLine
    public let status: ProxyStatus
    private let source: SnapshotFileSource
    private let installer: SnapshotInstaller
    /// The compiled config in service, read by every proxy worker (RCU).
    public let store = ConfigStore()

    /// How long in-flight proxy requests may take to finish after SIGTERM/SIGINT.
    public var drainDeadline: Duration = .seconds(10)

    public init(commandLine: ProxyCommandLine) {
        self.commandLine = commandLine
        source = SnapshotFileSource(path: commandLine.configPath)
        status = ProxyStatus(source: source.sourceName, workers: commandLine.workers)
        let store = store
        installer = SnapshotInstaller(status: status) { snapshot in
            store.publish(try ConfigCompiler.compile(snapshot))
        }
    }

    /// Runs until SIGTERM or SIGINT and returns the exit status: 0 after a drained shutdown,
    /// 1 when the first config cannot be loaded or a listener cannot be started.
    public func run(signals: TerminationSignals) -> Int32 {
        do {
            let snapshot = try source.load(into: installer)
            ProcessOutput.log("loaded config version \(snapshot.version) from \(source.path)")
        } catch {
            ProcessOutput.log("cannot start: config \(source.path): \(error.message)")
            for problem in error.problems { ProcessOutput.log("  \(problem)") }
            return 1
        }
        let servers: [HTTPServer]
        do {
            servers = try startServers()
        } catch {
            ProcessOutput.log("cannot start: \(error)")
            return 1
        }
        return serveSignals(signals, servers: servers)
    }

    /// Starts the proxy server and the admin server (if asked for) and prints the listening line.
    private func startServers() throws(SystemError) -> [HTTPServer] {
        var proxyConfiguration = HTTPServer.Configuration(listenAddress: commandLine.listenAddress)
        proxyConfiguration.workers = commandLine.workers
        proxyConfiguration.drainDeadline = drainDeadline
        let store = store
        let proxy = try HTTPServer(configuration: proxyConfiguration) { loop in ProxyHandler(loop: loop, store: store) }
        var proxyAddress = commandLine.listenAddress
        proxyAddress.port = try proxy.start()
        var line = "listening proxy=\(proxyAddress)"
        var servers = [proxy]
        if var adminAddress = commandLine.adminAddress {
            var adminConfiguration = HTTPServer.Configuration(listenAddress: adminAddress)
            adminConfiguration.workers = 1
            adminConfiguration.drainDeadline = .seconds(1)
            let status = status
            let admin = try HTTPServer(configuration: adminConfiguration) { _ in AdminHandler(status: status) }
            adminAddress.port = try admin.start()
            servers.append(admin)
            line += " admin=\(adminAddress)"
        }
        ProcessOutput.standardOutput.write(line: line)
        return servers
    }

    private func serveSignals(_ signals: TerminationSignals, servers: [HTTPServer]) -> Int32 {
        var exitStatus: Int32 = 0
        while true {
            let signal: Int32
            do {
                signal = try signals.next()
            } catch {
                ProcessOutput.log("reading signals failed: \(error); shutting down")
                exitStatus = 1
                break
            }
            if signal == TerminationSignals.hangup {
                reload()
            } else {
                break
            }
        }
        for server in servers { server.shutdown() }
        for server in servers { server.wait() }
        return exitStatus
    }

    /// SIGHUP: re-read `--config`; a refused file leaves the current config serving.
    public func reload() {
        do {
            let snapshot = try source.load(into: installer)
            ProcessOutput.log("reloaded config version \(snapshot.version) from \(source.path)")
        } catch {
            for line in error.lines { ProcessOutput.log("reload refused: \(line)") }
        }
    }
}
