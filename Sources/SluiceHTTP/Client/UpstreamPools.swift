import Glibc

/// Every upstream pool of one event loop, keyed by target. Pools are created on first use and kept
/// for the loop's lifetime (a target that leaves the configuration keeps its pool until
/// `closeIdle(except:)` or shutdown), so connections survive config swaps.
///
/// Cost: a dictionary lookup per `pool(for:)`; a proxy on the hot path may keep the returned
/// `UpstreamPool` in its per-loop compiled state instead. Thread affinity: its event loop only.
public final class UpstreamPools {
    public let loop: EventLoop
    public let configuration: UpstreamClientConfiguration
    private var pools: [UpstreamTarget: UpstreamPool] = [:]

    public init(loop: EventLoop, configuration: UpstreamClientConfiguration = UpstreamClientConfiguration()) {
        self.loop = loop
        self.configuration = configuration
    }

    /// The pool for `target`, created on first use. Throws when the host is not a numeric address.
    public func pool(for target: UpstreamTarget) throws(SocketAddressError) -> UpstreamPool {
        loop.assertOnLoop()
        if let pool = pools[target] {
            pool.isDraining = false
            return pool
        }
        let pool = try UpstreamPool(target: target, loop: loop, configuration: configuration)
        pools[target] = pool
        return pool
    }

    /// `pool(for:).checkout()`; an unusable address is reported as `.connectFailed` (EINVAL).
    public func checkout(_ target: UpstreamTarget) throws(HTTPClientError) -> UpstreamConnection {
        let pool: UpstreamPool
        do {
            pool = try self.pool(for: target)
        } catch {
            throw HTTPClientError(.connectFailed, target: target, errno: EINVAL, call: "inet_pton")
        }
        return try pool.checkout()
    }

    /// Pools created so far.
    public var count: Int { pools.count }

    /// Drains every pool whose target is not in `keep` (all pools by default): its idle
    /// connections close now, its busy ones when their exchange ends; a pool with no open
    /// connection left is forgotten. A proxy calls this when a config swap removed targets.
    public func closeIdle(except keep: Set<UpstreamTarget> = []) {
        loop.assertOnLoop()
        for (target, pool) in pools where !keep.contains(target) {
            pool.isDraining = true
            pool.closeIdle()
            if pool.openCount == 0 { pools[target] = nil }
        }
    }
}
