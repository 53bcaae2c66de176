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
        /// Where the config in service came from: `file:/abs/path` (`--config`), `cache:/abs/path`
        /// (the last-known-good cache, until the control plane answers with its newest version), or
        /// `control-plane:URL` (also before the first version arrives).
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
        /// Refused loads since start (`sluice_config_apply_failures_total`).
        public var applyFailures = 0

        /// The control-plane link (`--control-plane` only; nil with `--config`).
        public var controlPlane: ControlPlaneLink?

        public var isReady: Bool { version != nil }
    }

    /// How the sync thread last fared with the control plane.
    public struct ControlPlaneLink: Sendable, Equatable {
        public var url: String
        /// The last exchange reached it (any answer); false before the first one and after a failure.
        public var connected: Bool
        /// Unix seconds of the last answer.
        public var lastContact: Int?
        /// Why the last attempt failed; nil once it answers again.
        public var lastError: String?
    }

    private let state: Mutex<Report>

    public init(source: String, workers: Int, controlPlaneURL: String? = nil) {
        state = Mutex(Report(source: source, workers: workers, version: nil, generation: 0, loadedAt: nil, lastError: nil,
                             controlPlane: controlPlaneURL.map { ControlPlaneLink(url: $0, connected: false) }))
    }

    /// Where the config in service came from now (`cache:PATH`, `control-plane:URL`).
    public func setSource(_ source: String) {
        state.withLock { $0.source = source }
    }

    /// The control plane answered.
    public func recordControlPlaneContact(at unixSeconds: Int = MonotonicClock.wallSeconds()) {
        state.withLock { report in
            report.controlPlane?.connected = true
            report.controlPlane?.lastContact = unixSeconds
            report.controlPlane?.lastError = nil
        }
    }

    /// The control plane could not be reached or refused the request.
    public func recordControlPlaneFailure(_ reason: String) {
        state.withLock { report in
            report.controlPlane?.connected = false
            report.controlPlane?.lastError = reason
        }
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
        state.withLock { report in
            report.lastError = failure
            report.applyFailures += 1
        }
    }
}
