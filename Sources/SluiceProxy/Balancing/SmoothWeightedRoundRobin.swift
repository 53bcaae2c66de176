/// nginx's smooth weighted round robin (ngx_http_upstream_get_peer): every pick adds each target's
/// weight to its current score, chooses the highest score (the first on ties) and subtracts the
/// total weight from it. Weights 5, 1, 1 give `a a b a c a a`, repeated; equal weights give plain
/// round robin. The sequence spreads heavy targets out instead of sending bursts.
///
/// Thread affinity: one instance per worker (event loop) and upstream identity, used on that loop
/// only. `next()` costs O(targets) and allocates nothing.
public final class SmoothWeightedRoundRobin {
    public let weights: [Int]
    private var current: [Int]
    private let total: Int

    /// `weights` must be non-empty and positive (the snapshot validator guarantees it; a weight
    /// below 1 is treated as 1).
    public init(weights: [Int]) {
        self.weights = weights.map { max($0, 1) }
        current = Array(repeating: 0, count: weights.count)
        total = self.weights.reduce(0, +)
    }

    /// The index of the next target.
    public func next() -> Int {
        let count = weights.count
        if count <= 1 { return 0 }
        var best = 0
        var bestScore = Int.min
        var index = 0
        while index < count {
            let score = current[index] &+ weights[index]
            current[index] = score
            if score > bestScore {
                bestScore = score
                best = index
            }
            index &+= 1
        }
        current[best] = bestScore &- total
        return best
    }
}
