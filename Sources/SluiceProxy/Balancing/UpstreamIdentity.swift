import SluiceHTTP

/// What makes balancing state reusable across configurations: the upstream's name and its ordered
/// targets with their weights. Two configs whose upstream has the same identity continue the same
/// rotation; any change of targets, order or weights starts a fresh one.
public struct UpstreamIdentity: Hashable, Sendable {
    public var name: String
    public var targets: [UpstreamTarget]
    public var weights: [Int]

    public init(name: String, targets: [UpstreamTarget], weights: [Int]) {
        self.name = name
        self.targets = targets
        self.weights = weights
    }
}
