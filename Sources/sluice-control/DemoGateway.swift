import Foundation
import SluiceControl
import SluiceHTTP
import SluiceProxy

/// `sluice-control --demo`: the whole gateway in one process, for a laptop.
///
/// - the control plane exactly as without `--demo` (`ControlProcess`), database `./data/sluice.db`
///   by default (its directory is created);
/// - a demo upstream (`DemoUpstreamHandler`) on 127.0.0.1:9001 (`--demo-upstream-listen`), or a
///   free port if 9001 is taken;
/// - the seed (`DemoSeed`): upstream + route `demo`, version 1, on a fresh database only;
/// - an embedded data plane: the real `sluice-proxy` code (`ProxyProcess.startEmbedded`), whose
///   sync thread follows this control plane by the real long-poll over loopback HTTP
///   (`GET /v1/dataplane/snapshot` on the admin listener), with the configured data-plane token
///   or, if none, one generated in memory for this session. Its last-known-good cache is
///   `./data/proxy-cache` (next to the database).
///
/// It lives in the executable target because the `SluiceControl` library does not depend on
/// `SluiceProxy`. Threads: `run` keeps the main thread as the signal thread, like `ControlProcess`.
struct DemoGateway {
    let commandLine: ControlCommandLine
    let demo: DemoCommandLine
    let environment: [String: String]

    /// How long start-up waits for the data plane to apply the control plane's newest version
    /// before printing the listening line anyway.
    static let firstSyncDeadline: Duration = .seconds(10)

    func run(signals: TerminationSignals) -> Int32 {
        let directory = URL(fileURLWithPath: commandLine.databasePath).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            ControlLog.error("start_failed", "cannot start: cannot create the data directory \(directory): \(error.localizedDescription)")
            return 1
        }
        var environment = environment
        let dataplaneToken: String
        do {
            let tokens = try ControlTokens.load(commandLine: commandLine, environment: environment)
            if let configured = tokens.dataplane {
                dataplaneToken = configured
            } else {
                dataplaneToken = Self.randomToken()
                environment["SLUICE_DATAPLANE_TOKEN"] = dataplaneToken
            }
        } catch {
            ControlLog.error("start_failed", "cannot start: \(error.description)")
            return 1
        }

        let upstream: (server: HTTPServer, port: UInt16)
        do {
            upstream = try startUpstream()
        } catch {
            ControlLog.error("start_failed", "cannot start the demo upstream: \(error)")
            return 1
        }
        let control = ControlProcess(commandLine: commandLine, environment: environment)
        let controlServer: HTTPServer
        let api: ControlAPI
        let adminAddress: SocketAddress
        do {
            (controlServer, api, adminAddress) = try control.start(announce: false)
        } catch {
            ControlLog.error("start_failed", "cannot start: \(error.description)")
            Self.stop(upstream.server)
            return 1
        }
        var upstreamAddress = demo.upstreamAddress
        upstreamAddress.port = upstream.port
        let upstreamURL = "http://" + Self.connectable(upstreamAddress)
        do {
            switch try DemoSeed.apply(to: api.store, upstreamURL: upstreamURL) {
            case .seeded(let version):
                ControlLog.info("demo", "demo: seeded upstream \"demo\" (\(upstreamURL)) and route \"demo\" (/), published version \(version)")
            case .repointed(let version):
                ControlLog.info("demo", "demo: upstream \"demo\" repointed to \(upstreamURL), published version \(version)")
            case .kept:
                ControlLog.info("demo", "demo: existing configuration kept (\(commandLine.databasePath))")
            }
        } catch {
            ControlLog.error("start_failed", "cannot start: demo seed: \(error.description)")
            Self.stop(api: api, controlServer, upstream.server)
            return 1
        }

        let proxy = ProxyProcess(commandLine: proxyCommandLine(controlPlane: adminAddress, cacheDirectory: directory + "/proxy-cache"))
        let dataPlane: ProxyProcess.EmbeddedDataPlane
        do {
            dataPlane = try proxy.startEmbedded(token: dataplaneToken)
        } catch {
            ControlLog.error("start_failed", "cannot start the data plane: \(error.description)")
            Self.stop(api: api, controlServer, upstream.server)
            return 1
        }
        awaitFirstSync(proxy: proxy, latest: (try? api.store.latestVersion()) ?? 0)

        var line = "listening admin=\(adminAddress) proxy=\(dataPlane.proxyAddress)"
        line += " proxy_admin=" + (dataPlane.adminAddress.map { "\($0)" } ?? "off")
        line += " demo_upstream=\(upstreamAddress)"
        ProcessOutput.standardOutput.write(line: line)
        let proxyHost = Self.connectable(dataPlane.proxyAddress)
        ProcessOutput.standardOutput.write(line: "try: curl -i http://\(proxyHost)/hello")
        ProcessOutput.standardOutput.write(line: "     export SLUICE_ADMIN_TOKEN=<the admin token printed at first start>")
        ProcessOutput.standardOutput.write(line: "     sluicectl --server http://\(Self.connectable(adminAddress)) routes list")

        var exitStatus: Int32 = 0
        while true {
            do {
                if try signals.next() == TerminationSignals.hangup { continue }
                break
            } catch {
                ControlLog.error("signals_failed", "reading signals failed: \(error); shutting down")
                exitStatus = 1
                break
            }
        }
        // The control plane first, while the sync thread still reads: its parked long-poll is
        // answered and its connection closes, so the drain ends at once (a sync thread stopped
        // first would leave that connection open until the drain deadline, 2 s). The sync thread
        // may log a "cannot reach" line or two before it is stopped.
        ControlLog.info("shutdown", "demo: shutting down")
        api.broadcaster.releaseAll()
        Self.stop(controlServer)
        dataPlane.stop()
        Self.stop(upstream.server)
        ControlLog.info("stopped", "stopped", ["exit_status": .int(Int(exitStatus))])
        return exitStatus
    }

    private func proxyCommandLine(controlPlane address: SocketAddress, cacheDirectory: String) -> ProxyCommandLine {
        let host = Self.connectableHost(address)
        let authority = host.contains(":") ? "[\(host)]:\(address.port)" : "\(host):\(address.port)"
        let settings = ControlPlaneSettings(url: "http://" + authority, host: host, port: address.port,
                                            nodeID: "demo", cacheDirectory: cacheDirectory)
        return ProxyCommandLine(configPath: nil, controlPlane: settings, listenAddress: demo.proxyListenAddress,
                                workers: 2, adminAddress: demo.proxyAdminAddress)
    }

    /// Start-up only: lets the embedded data plane apply the newest version (or refuse it) so a
    /// request right after the listening line is served. Checks `/status`'s state every 5 ms
    /// (the sync thread has no completion hook to wait on), bounded by `firstSyncDeadline`.
    private func awaitFirstSync(proxy: ProxyProcess, latest: Int) {
        guard latest > 0 else { return }
        let deadline = ContinuousClock.now + Self.firstSyncDeadline
        while ContinuousClock.now < deadline {
            let report = proxy.status.report
            if (report.version ?? 0) >= latest || report.lastError != nil { return }
            Thread.sleep(forTimeInterval: 0.005)
        }
        ControlLog.warning("demo", "demo: the data plane has not applied version \(latest) yet; it keeps trying")
    }

    private func startUpstream() throws(SystemError) -> (server: HTTPServer, port: UInt16) {
        func start(_ port: UInt16) throws(SystemError) -> (server: HTTPServer, port: UInt16) {
            var address = demo.upstreamAddress
            address.port = port
            var configuration = HTTPServer.Configuration(listenAddress: address)
            configuration.workers = 1
            configuration.drainDeadline = .seconds(1)
            let server = try HTTPServer(configuration: configuration) { _ in DemoUpstreamHandler() }
            do {
                return (server, try server.start())
            } catch {
                Self.stop(server)
                throw error
            }
        }
        guard demo.upstreamMayMove else { return try start(demo.upstreamAddress.port) }
        do {
            return try start(demo.upstreamAddress.port)
        } catch {
            ControlLog.info("demo", "demo: \(demo.upstreamAddress) is taken (\(error)); the demo upstream takes a free port")
            return try start(0)
        }
    }

    private static func stop(api: ControlAPI, _ controlServer: HTTPServer, _ upstream: HTTPServer) {
        api.broadcaster.releaseAll()
        stop(controlServer)
        stop(upstream)
    }

    private static func stop(_ server: HTTPServer) {
        server.shutdown()
        server.wait()
    }

    /// A wildcard listener is reached on loopback.
    static func connectableHost(_ address: SocketAddress) -> String {
        switch address.host {
        case "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        case let host: host
        }
    }

    static func connectable(_ address: SocketAddress) -> String {
        let host = connectableHost(address)
        return host.contains(":") ? "[\(host)]:\(address.port)" : "\(host):\(address.port)"
    }

    /// 32 random bytes as hex, from the system generator (getrandom).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<32 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 15)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
