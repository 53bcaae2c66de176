/// One complete gateway configuration: what a file holds, what the control plane publishes as a
/// numbered version, and what a data plane compiles and swaps in.
///
/// A value type (`Sendable`, `Equatable`); entity arrays keep their order. Its JSON form is in
/// shared/DESIGN.md §4a: decode with `SnapshotDecoder`, check with `validate()`, write with
/// `canonicalJSON()`. The JSON `format` is always `Snapshot.format`; another value is refused as
/// "unsupported format N", which is how planes of different releases notice each other.
public struct Snapshot: Sendable, Equatable {
    /// The only JSON format this code reads and writes.
    public static let format = 1

    /// 0 for files; the control plane numbers published versions from 1.
    public var version: Int
    public var upstreams: [UpstreamConfig]
    public var routes: [RouteConfig]
    public var tiers: [TierConfig]
    public var orgs: [OrgConfig]
    public var consumers: [ConsumerConfig]
    public var apiKeys: [APIKeyConfig]
    public var jwtKeys: [JWTKeyConfig]

    public init(version: Int = 0, upstreams: [UpstreamConfig] = [], routes: [RouteConfig] = [],
                tiers: [TierConfig] = [], orgs: [OrgConfig] = [], consumers: [ConsumerConfig] = [],
                apiKeys: [APIKeyConfig] = [], jwtKeys: [JWTKeyConfig] = []) {
        self.version = version
        self.upstreams = upstreams
        self.routes = routes
        self.tiers = tiers
        self.orgs = orgs
        self.consumers = consumers
        self.apiKeys = apiKeys
        self.jwtKeys = jwtKeys
    }
}
