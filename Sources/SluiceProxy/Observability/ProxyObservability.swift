import Dispatch
import SluiceHTTP
import Synchronization

/// What the proxy workers record besides forwarding, shared by all of them: the metrics registry
/// (nil with `--metrics off`: no per-request counting at all) and the access log's writer thread
/// (nil with `--access-log off`: no per-request cost beyond one nil check).
///
/// Thread-safety: `Sendable`; each `ProxyHandler` takes its per-worker parts from it at creation
/// (on its loop); the list of per-worker access log buffers is behind a mutex touched only at
/// start and at shutdown.
public final class ProxyObservability: Sendable {
    public let metrics: ProxyMetricsRegistry?
    public let accessLog: BatchedLogWriter?
    /// `--access-log-query`: log the request-target's query string too.
    public let accessLogIncludesQuery: Bool
    /// `process_start_time_seconds`, read once.
    public let processStartTime: Double?
    private let buffers = Mutex<[(inbox: EventLoopInbox, buffer: LoopBound<AccessLogBuffer>)]>([])

    public init(metrics: ProxyMetricsRegistry? = ProxyMetricsRegistry(), accessLog: BatchedLogWriter? = nil,
                accessLogIncludesQuery: Bool = false) {
        self.metrics = metrics
        self.accessLog = accessLog
        self.accessLogIncludesQuery = accessLogIncludesQuery
        processStartTime = ProcessMetrics.startTimeSeconds()
    }

    /// A worker's access log buffer (nil when the access log is off), registered for `flushAccessLog`.
    func makeAccessLogBuffer(on loop: EventLoop) -> AccessLogBuffer? {
        guard let accessLog else { return nil }
        let buffer = AccessLogBuffer(loop: loop, writer: accessLog, includeQuery: accessLogIncludesQuery)
        let bound = LoopBound(buffer, on: loop)
        buffers.withLock { $0.append((loop.inbox, bound)) }
        return buffer
    }

    /// Hands every worker's buffered access log lines to the writer (a task on each worker loop),
    /// waits until all did, then closes the writer: its thread writes what is queued and exits.
    /// Call once, after the proxy server drained and while its loops still run.
    public func flushAccessLog() {
        guard let accessLog else { return }
        let all = buffers.withLock { $0 }
        let done = DispatchSemaphore(value: 0)
        for worker in all {
            let buffer = worker.buffer
            worker.inbox.execute { loop in
                buffer.value(on: loop).flush()
                done.signal()
            }
        }
        for _ in all { done.wait() }
        accessLog.close()
    }
}
