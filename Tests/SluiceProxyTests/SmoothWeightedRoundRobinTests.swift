import Testing
import SluiceHTTP
@testable import SluiceProxy

@Suite struct SmoothWeightedRoundRobinTests {
    static func sequence(_ balancer: SmoothWeightedRoundRobin, _ count: Int) -> String {
        let names = Array("abcdefgh")
        return String((0..<count).map { _ in names[balancer.next()] })
    }

    @Test func nginxPatternForWeightsFiveOneOne() {
        let balancer = SmoothWeightedRoundRobin(weights: [5, 1, 1])
        #expect(Self.sequence(balancer, 14) == "aabacaa" + "aabacaa")
    }

    @Test func equalWeightsArePlainRoundRobin() {
        #expect(Self.sequence(SmoothWeightedRoundRobin(weights: [1, 1, 1]), 7) == "abcabca")
        #expect(Self.sequence(SmoothWeightedRoundRobin(weights: [2, 2]), 4) == "abab")
        #expect(Self.sequence(SmoothWeightedRoundRobin(weights: [4]), 3) == "aaa")
    }

    @Test func weightsThreeOne() {
        #expect(Self.sequence(SmoothWeightedRoundRobin(weights: [3, 1]), 8) == "aaba" + "aaba")
    }

    static func identity(_ name: String, ports: [UInt16], weights: [Int]) -> UpstreamIdentity {
        UpstreamIdentity(name: name, targets: ports.map { UpstreamTarget(host: "127.0.0.1", port: $0) }, weights: weights)
    }

    @Test func stateSurvivesASwapWithTheSameTargetsAndResetsWhenTheyChange() {
        let registry = BalancerRegistry()
        let users = Self.identity("users", ports: [1, 2, 3], weights: [5, 1, 1])
        let first = registry.balancers(for: [users])
        #expect(Self.sequence(first[0], 3) == "aab")
        // Same identity in a new config: the rotation continues where it was.
        let second = registry.balancers(for: [Self.identity("other", ports: [9], weights: [1]), users])
        #expect(second[1] === first[0])
        #expect(Self.sequence(second[1], 4) == "acaa")
        // A changed target list (order matters) starts over.
        let reordered = Self.identity("users", ports: [2, 1, 3], weights: [5, 1, 1])
        let third = registry.balancers(for: [reordered])
        #expect(third[0] !== first[0])
        #expect(Self.sequence(third[0], 3) == "aab")
        #expect(registry.count == 1)
    }
}
