/// Many histograms with the same buckets, one per small integer key (a label slot), in two flat
/// arrays so recording is two array increments and no allocation once a key exists.
///
/// Single-threaded: owned by one event loop (a worker's metrics) and copied out at scrape time
/// (copy-on-write: the copy costs nothing until the owner records again). Keys grow the arrays on
/// first use (amortised O(1); keys are label slots, bounded by the distinct labels ever seen).
public struct HistogramSet: Sendable {
    public let buckets: HistogramBuckets
    /// `counts[key * buckets.bucketCount + bucket]`, not cumulative.
    private var counts: [UInt64] = []
    private var sums: [UInt64] = []

    public init(buckets: HistogramBuckets) {
        self.buckets = buckets
    }

    /// Keys that have storage (`0..<keyCount`); a key with storage may still have no observation.
    public var keyCount: Int { sums.count }

    @inline(__always)
    public mutating func record(key: Int, nanoseconds: UInt64) {
        if key >= sums.count { grow(to: key + 1) }
        counts[key &* buckets.bucketCount &+ buckets.bucketIndex(nanoseconds: nanoseconds)] &+= 1
        sums[key] &+= nanoseconds
    }

    private mutating func grow(to keys: Int) {
        counts.append(contentsOf: repeatElement(0, count: (keys - sums.count) * buckets.bucketCount))
        sums.append(contentsOf: repeatElement(0, count: keys - sums.count))
    }

    /// The histogram of `key` (empty if the key has no storage).
    public func histogram(key: Int) -> Histogram {
        guard key < sums.count else { return Histogram(buckets: buckets) }
        let start = key * buckets.bucketCount
        return Histogram(buckets: buckets, counts: Array(counts[start..<start + buckets.bucketCount]),
                         sumNanoseconds: sums[key])
    }
}
