/// One worker's balancing state, keyed by `UpstreamIdentity`, so it outlives a config swap when an
/// upstream's targets are unchanged and is dropped when they change or the upstream disappears.
///
/// Thread affinity: one per worker (event loop). `balancers(for:)` runs once per new config, never
/// per request: the worker keeps the returned array and indexes it by upstream.
public final class BalancerRegistry {
    private var states: [UpstreamIdentity: SmoothWeightedRoundRobin] = [:]

    public init() {}

    /// One balancer per identity, in order: existing state for identities seen before, fresh state
    /// for new ones. Identities not in `identities` are forgotten.
    public func balancers(for identities: [UpstreamIdentity]) -> [SmoothWeightedRoundRobin] {
        var kept: [UpstreamIdentity: SmoothWeightedRoundRobin] = [:]
        var result: [SmoothWeightedRoundRobin] = []
        result.reserveCapacity(identities.count)
        for identity in identities {
            let balancer = kept[identity] ?? states[identity] ?? SmoothWeightedRoundRobin(weights: identity.weights)
            kept[identity] = balancer
            result.append(balancer)
        }
        states = kept
        return result
    }

    /// Identities with state.
    public var count: Int { states.count }
}
