import SluiceConfig
import SluicePolicy

/// A snapshot compiled for the data plane: the route table, the upstreams with resolved targets and
/// the per-route settings, all immutable. Made by `ConfigCompiler` off the hot path and published
/// through `ConfigStore`; every worker reads the same instance; a request keeps the instance it
/// started with until it ends, even if a newer one is published meanwhile.
public final class CompiledConfig: Sendable {
    /// The snapshot's version (0 for files).
    public let version: Int
    public let routeTable: RouteTable
    /// `routes[i]` is the route `routeTable` answers as `.matched(i)`.
    public let routes: [CompiledRoute]
    public let upstreams: [CompiledUpstream]
    /// Balancing identities, `identities[i]` for `upstreams[i]` (computed once here).
    public let identities: [UpstreamIdentity]
    /// The snapshot it was compiled from (for status pages and the policies).
    public let snapshot: Snapshot
    /// The traffic policies: JWT keys (loaded by OpenSSL), consumers, API key digests, limits.
    let policy: CompiledPolicy

    public convenience init(version: Int, routeTable: RouteTable, routes: [CompiledRoute], upstreams: [CompiledUpstream],
                snapshot: Snapshot) {
        self.init(version: version, routeTable: routeTable, routes: routes, upstreams: upstreams,
                  policy: CompiledPolicy(), snapshot: snapshot)
    }

    init(version: Int, routeTable: RouteTable, routes: [CompiledRoute], upstreams: [CompiledUpstream],
         policy: CompiledPolicy, snapshot: Snapshot) {
        self.version = version
        self.routeTable = routeTable
        self.routes = routes
        self.upstreams = upstreams
        self.identities = upstreams.map(\.identity)
        self.snapshot = snapshot
        self.policy = policy
    }
}
