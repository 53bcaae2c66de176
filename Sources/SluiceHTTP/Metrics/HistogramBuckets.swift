/// The fixed upper bounds of a latency histogram, in seconds (for the exposition) and in
/// nanoseconds (for recording without floating point on the hot path). The `+Inf` bucket is
/// implicit: bucket `upperBounds.count` counts everything above the last bound.
///
/// Immutable and `Sendable`; `bucketIndex` is a linear scan over a dozen integers (cheaper than a
/// binary search at this size, and branch-predictable for typical latencies).
public struct HistogramBuckets: Sendable, Equatable {
    /// Strictly increasing, finite, positive.
    public let upperBounds: [Double]
    let upperBoundsNanoseconds: [UInt64]

    /// `bounds` in seconds, strictly increasing and positive (checked; a bad table is a programming error).
    public init(_ bounds: [Double]) {
        precondition(!bounds.isEmpty && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 } && bounds[0] > 0,
                     "histogram bounds must be positive and strictly increasing")
        upperBounds = bounds
        upperBoundsNanoseconds = bounds.map { UInt64(($0 * 1e9).rounded()) }
    }

    /// Buckets plus the `+Inf` one.
    @inlinable
    public var bucketCount: Int { upperBounds.count + 1 }

    /// The bucket a duration falls in: the first bound `>=` it (Prometheus buckets are `le`), else `+Inf`.
    @inline(__always)
    public func bucketIndex(nanoseconds: UInt64) -> Int {
        var index = 0
        let bounds = upperBoundsNanoseconds
        while index < bounds.count && nanoseconds > bounds[index] { index += 1 }
        return index
    }

    /// Request and upstream latencies: 1 ms to 10 s (the Prometheus client defaults plus 1 ms and 2.5 ms).
    public static let latency = HistogramBuckets([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
}
