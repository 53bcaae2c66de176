import SluiceHTTP

/// What one worker derives from one `CompiledConfig`: the config itself, one balancer per
/// upstream (continued across swaps by identity) and the loop's pool for every target, so a
/// request indexes arrays instead of hashing. Rebuilt when the worker sees a new generation;
/// requests in flight keep the instance they started with.
///
/// Thread affinity: its worker's loop.
final class ProxyWorkerState {
    let config: CompiledConfig
    let balancers: [SmoothWeightedRoundRobin]
    /// `pools[upstream][target]`; nil only if the target address could not make a pool.
    let pools: [[UpstreamPool?]]
    /// Per upstream: its number of targets, and each target's default `Host` value (copied out of
    /// the config so a request touches no `CompiledUpstream`).
    let targetCounts: [Int]
    let hostFieldValues: [[[UInt8]]]
    /// The worker's metric slots of `config.routes[i]` and `config.upstreams[i]` (by name, so they
    /// survive swaps); empty without metrics.
    let routeSlots: [Int]
    let upstreamSlots: [Int]
    /// Access log text, rendered once (empty without an access log): `routeFields[route]` and
    /// `targetFields[upstream][target]` (see `AccessLogBuffer.Line`).
    let routeFields: [[UInt8]]
    let targetFields: [[[UInt8]]]

    init(config: CompiledConfig, registry: BalancerRegistry, pools: UpstreamPools, metrics: ProxyMetrics?,
         accessLog: Bool) {
        self.config = config
        balancers = registry.balancers(for: config.identities)
        var all: [[UpstreamPool?]] = []
        var targets = Set<UpstreamTarget>()
        for upstream in config.upstreams {
            all.append(upstream.targets.map { target in
                targets.insert(target)
                return try? pools.pool(for: target)
            })
        }
        self.pools = all
        targetCounts = config.upstreams.map(\.targets.count)
        hostFieldValues = config.upstreams.map(\.hostFieldValues)
        routeSlots = metrics.map { metrics in config.routes.map { metrics.routeSlot(named: $0.name) } } ?? []
        upstreamSlots = metrics.map { metrics in config.upstreams.map { metrics.upstreamSlot(named: $0.name) } } ?? []
        routeFields = accessLog ? config.routes.map { AccessLogBuffer.routeField($0.name) } : []
        targetFields = accessLog ? config.upstreams.map { upstream in
            upstream.hostFieldValues.map { AccessLogBuffer.targetField(upstream: upstream.name, target: $0) }
        } : []
        // Connections to targets that left the configuration are not reused; busy ones finish.
        pools.closeIdle(except: targets)
    }
}
