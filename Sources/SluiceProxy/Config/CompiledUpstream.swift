import SluiceConfig
import SluiceHTTP

/// An upstream with its targets resolved to numeric addresses, ready for the pools and balancers.
public struct CompiledUpstream: Sendable {
    public var name: String
    public var targets: [UpstreamTarget]
    public var weights: [Int]
    /// Per target: the `Host` field value sent when the client sent none (`host:port` of the URL).
    public var hostFieldValues: [[UInt8]]
    public var algorithm: BalancingAlgorithm

    public init(name: String, targets: [UpstreamTarget], weights: [Int], hostFieldValues: [[UInt8]],
                algorithm: BalancingAlgorithm = .roundRobin) {
        self.name = name
        self.targets = targets
        self.weights = weights
        self.hostFieldValues = hostFieldValues
        self.algorithm = algorithm
    }

    /// The key of this upstream's balancing state.
    public var identity: UpstreamIdentity {
        UpstreamIdentity(name: name, targets: targets, weights: weights)
    }
}
