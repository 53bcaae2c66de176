/// A named group of targets that routes send traffic to.
///
/// `name` matches `[A-Za-z0-9._-]{1,64}`; `targets` is non-empty (at most 1,000) with no two
/// targets at the same host and port.
public struct UpstreamConfig: Sendable, Equatable {
    public static let maximumTargets = 1000

    public var name: String
    public var algorithm: BalancingAlgorithm
    public var targets: [TargetConfig]

    public init(name: String, algorithm: BalancingAlgorithm = .roundRobin, targets: [TargetConfig]) {
        self.name = name
        self.algorithm = algorithm
        self.targets = targets
    }
}
