import SluiceHTTP

/// Embedding the data plane in another process (`sluice-control --demo`): the same servers, the
/// same `ControlPlaneSource` sync thread (the real long-poll over HTTP to `--control-plane`, on
/// loopback when embedded next to the control plane), but started without the signal loop and
/// stopped by the embedder. Nothing is printed on stdout: the embedder prints its own line.
extension ProxyProcess {
    /// A started embedded data plane. `stop` drains both servers and joins the sync thread; call
    /// it once, from the thread that started it.
    public final class EmbeddedDataPlane {
        let servers: ProxyServers
        let sync: ControlPlaneSource
        public var proxyAddress: SocketAddress { servers.proxyAddress }
        public var adminAddress: SocketAddress? { servers.adminAddress }

        init(servers: ProxyServers, sync: ControlPlaneSource) {
            self.servers = servers
            self.sync = sync
        }

        public func stop() {
            sync.stop()
            servers.stop()
        }
    }

    /// Why the embedded data plane could not start.
    public struct EmbeddedStartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Installs the cached snapshot (if `--cache-dir`), starts listening, starts the sync thread
    /// with `token` (the data-plane token, given in memory) and returns at once. Needs
    /// `commandLine.controlPlane`.
    public func startEmbedded(token: String) throws(EmbeddedStartError) -> EmbeddedDataPlane {
        guard let controlPlane = commandLine.controlPlane else {
            throw EmbeddedStartError(description: "the embedded data plane needs control-plane settings")
        }
        let nodeID = controlPlane.nodeID ?? "embedded"
        let cache = controlPlane.cacheDirectory.map { SnapshotCache(directory: $0) }
        var appliedVersion = 0
        if let cache, let loaded = cache.loadNewest(into: installer) {
            appliedVersion = loaded.snapshot.version
            status.setSource("cache:" + loaded.path)
        }
        let bound: ProxyServers
        do {
            bound = try bindServers()
        } catch {
            throw EmbeddedStartError(description: "proxy listener: \(error)")
        }
        let setup = ControlPlaneSync.Setup(settings: controlPlane, token: token, nodeID: nodeID, hostname: nodeID,
                                           installer: installer, cache: cache, appliedVersion: appliedVersion)
        do {
            let sync = try ControlPlaneSource(setup: setup)
            return EmbeddedDataPlane(servers: bound, sync: sync)
        } catch {
            bound.stop()
            throw EmbeddedStartError(description: "cannot start the sync thread: \(error)")
        }
    }
}
