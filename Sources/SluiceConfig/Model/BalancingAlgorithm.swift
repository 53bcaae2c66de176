/// How an upstream spreads requests over its targets.
public enum BalancingAlgorithm: String, Sendable, Equatable, CaseIterable {
    /// nginx's smooth weighted round robin: each pick adds every target's weight to its current
    /// score, takes the highest, and subtracts the total weight from it. Weights 5, 1, 1 give
    /// `a a b a c a a`; with all weights 1 this is plain round robin.
    case roundRobin = "round_robin"
}
