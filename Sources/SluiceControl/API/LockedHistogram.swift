import SluiceHTTP
import Synchronization

/// A histogram shared between threads behind a mutex (control plane only: never a hot path).
public final class LockedHistogram: Sendable {
    private let histogram: Mutex<Histogram>

    public init(buckets: HistogramBuckets) {
        histogram = Mutex(Histogram(buckets: buckets))
    }

    public func record(nanoseconds: UInt64) {
        histogram.withLock { $0.record(nanoseconds: nanoseconds) }
    }

    public var value: Histogram { histogram.withLock { $0 } }

    /// SQLite calls: 0.1 ms to 1 s.
    public static let sqliteBuckets = HistogramBuckets([0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                         0.05, 0.1, 0.25, 0.5, 1])
}
