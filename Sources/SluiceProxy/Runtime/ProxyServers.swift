import SluiceHTTP

/// The started proxy server, its admin server (if any) and what outlives them until the end: the
/// proxy's own event loops (kept running after the drain so the workers' access log buffers can
/// be flushed on them) and the observability state.
///
/// `stop()` once, from the thread that started them: drain both servers, flush the access log,
/// stop the loops.
final class ProxyServers {
    let servers: [HTTPServer]
    let group: EventLoopGroup
    let observability: ProxyObservability
    let proxyAddress: SocketAddress
    let adminAddress: SocketAddress?

    init(servers: [HTTPServer], group: EventLoopGroup, observability: ProxyObservability,
         proxyAddress: SocketAddress, adminAddress: SocketAddress?) {
        self.servers = servers
        self.group = group
        self.observability = observability
        self.proxyAddress = proxyAddress
        self.adminAddress = adminAddress
    }

    func stop() {
        for server in servers { server.shutdown() }
        for server in servers { server.wait() }
        observability.flushAccessLog()
        group.stop()
        group.wait()
    }
}
