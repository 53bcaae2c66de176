import SluiceHTTP
import Synchronization

/// Every worker's `ProxyMetrics`, for the admin listener's scrape: each worker registers its
/// metrics from its handler factory; `collect` asks every worker loop for a copy and hands the
/// set over when the last one answered.
///
/// Thread-safety: `Sendable`. The registration list is behind a mutex (touched at start and per
/// scrape, never per request); the metrics themselves are only dereferenced on their own loop.
public final class ProxyMetricsRegistry: Sendable {
    private let workers = Mutex<[(inbox: EventLoopInbox, metrics: LoopBound<ProxyMetrics>)]>([])

    public init() {}

    /// Adds a worker's metrics (call on `loop`, e.g. from the server's handler factory).
    public func register(_ metrics: ProxyMetrics, on loop: EventLoop) {
        let bound = LoopBound(metrics, on: loop)
        workers.withLock { $0.append((loop.inbox, bound)) }
    }

    /// Copies every worker's values on its own loop, then calls `completion` once with all copies
    /// (on the thread of the last worker to answer; at once with none when no worker registered).
    /// A worker whose loop has stopped never answers: scrape only while the server runs.
    func collect(_ completion: @escaping @Sendable ([ProxyMetrics.Copy]) -> Void) {
        let all = workers.withLock { $0 }
        guard !all.isEmpty else { return completion([]) }
        let gathered = Gathered()
        let expected = all.count
        for worker in all {
            let metrics = worker.metrics
            worker.inbox.execute { loop in
                let copy = metrics.value(on: loop).copy()
                let done = gathered.copies.withLock { copies -> [ProxyMetrics.Copy]? in
                    copies.append(copy)
                    return copies.count == expected ? copies : nil
                }
                if let done { completion(done) }
            }
        }
    }
}

/// The copies of one scrape, filled by the worker loops.
private final class Gathered: Sendable {
    let copies = Mutex<[ProxyMetrics.Copy]>([])
}
