/// One histogram's values: per-bucket counts (not cumulative; the last is `+Inf`), the sum of the
/// observations in nanoseconds, and their number. A plain value: the per-worker `HistogramSet`s
/// hand these out at scrape time and they are summed with `merge`.
public struct Histogram: Sendable, Equatable {
    public let buckets: HistogramBuckets
    /// `counts[i]` observations fell in bucket `i` (non-cumulative); `counts.count == buckets.bucketCount`.
    public private(set) var counts: [UInt64]
    public private(set) var sumNanoseconds: UInt64
    public private(set) var count: UInt64

    public init(buckets: HistogramBuckets) {
        self.buckets = buckets
        counts = Array(repeating: 0, count: buckets.bucketCount)
        sumNanoseconds = 0
        count = 0
    }

    init(buckets: HistogramBuckets, counts: [UInt64], sumNanoseconds: UInt64) {
        self.buckets = buckets
        self.counts = counts
        self.sumNanoseconds = sumNanoseconds
        count = counts.reduce(0, &+)
    }

    /// Adds one observation. O(buckets).
    public mutating func record(nanoseconds: UInt64) {
        counts[buckets.bucketIndex(nanoseconds: nanoseconds)] &+= 1
        sumNanoseconds &+= nanoseconds
        count &+= 1
    }

    /// Adds another histogram with the same buckets (another worker's, for the same labels).
    public mutating func merge(_ other: Histogram) {
        precondition(other.buckets == buckets, "merging histograms with different buckets")
        for index in counts.indices { counts[index] &+= other.counts[index] }
        sumNanoseconds &+= other.sumNanoseconds
        count &+= other.count
    }

    /// The sum in seconds, as exposed in `_sum`.
    public var sumSeconds: Double { Double(sumNanoseconds) / 1e9 }
}
