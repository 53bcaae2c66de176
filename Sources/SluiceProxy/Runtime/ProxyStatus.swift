import SluiceConfig
import SluiceHTTP
import Synchronization

/// What the data plane reports about its configuration on the admin listener: the version in
/// service, where it came from, when it was loaded, and the last refused load.
///
/// Thread-safety: `Sendable`; written by the thread that loads configs, read by the admin loop.
/// A mutex guards it — never touched on the proxy's request path.
public final class ProxyStatus: Sendable {
    /// A copy of the status at one moment.
    public struct Report: Sendable, Equatable {
        /// Where configs come from: `file:/abs/path` (later `control-plane:URL`).
        public var source: String
        /// Proxy worker loops.
        public var workers: Int
        /// The `version` of the snapshot in service; nil before the first successful load.
        public var version: Int?
        /// Successful loads so far (1 after the first): tells reloads apart when files keep the same version.
        public var generation: Int
        /// Unix seconds of the last successful load.
        public var loadedAt: Int?
        /// The last refused load since the last successful one; nil after a successful load.
        public var lastError: ConfigLoadFailure?

        public var isReady: Bool { version != nil }
    }

    private let state: Mutex<Report>

    public init(source: String, workers: Int) {
        state = Mutex(Report(source: source, workers: workers, version: nil, generation: 0, loadedAt: nil, lastError: nil))
    }

    public var report: Report { state.withLock { $0 } }

    /// A snapshot went into service: its version becomes current and `lastError` is cleared.
    public func recordLoaded(version: Int, at unixSeconds: Int = MonotonicClock.wallSeconds()) {
        state.withLock { report in
            report.version = version
            report.generation += 1
            report.loadedAt = unixSeconds
            report.lastError = nil
        }
    }

    /// A load was refused; the version in service (if any) stays.
    public func recordRefused(_ failure: ConfigLoadFailure) {
        state.withLock { $0.lastError = failure }
    }
}
