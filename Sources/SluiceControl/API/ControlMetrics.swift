import SluiceHTTP
import Synchronization

/// The control plane's counters for `GET /metrics`. The admin API is low-traffic, so plain
/// mutex-guarded state is simplest here (the data plane's per-worker scheme is for the hot path).
///
/// - `sluice_control_admin_requests_total{endpoint,method,status}`: every answered request;
///   `endpoint` is the route template (`/v1/routes/{name}`, never the raw path or an id), or
///   `(none)` when no route matched (404, 405, and errors the engine answered before routing);
/// - `sluice_control_publishes_total`, `sluice_control_rollbacks_total`: versions committed (by
///   the store's publish listener, so every path that publishes counts; an unchanged publish does not);
/// - `sluice_control_longpoll_waiters`: data-plane long polls parked now (sum of every loop's count);
/// - `sluice_control_dataplanes_connected` (computed at scrape time by `ControlAPI`);
/// - `sluice_control_sqlite_duration_seconds`: every store call (one transaction or query batch,
///   lock wait excluded), recorded by `ControlPlaneStore`.
///
/// Thread-safety: `Sendable`; any loop records, any loop renders.
public final class ControlMetrics: Sendable {
    struct RequestKey: Hashable, Comparable {
        var endpoint: String
        var method: String
        var status: Int

        static func < (lhs: RequestKey, rhs: RequestKey) -> Bool {
            (lhs.endpoint, lhs.method, lhs.status) < (rhs.endpoint, rhs.method, rhs.status)
        }
    }

    private struct State {
        var requests: [RequestKey: UInt64] = [:]
        var publishes: UInt64 = 0
        var rollbacks: UInt64 = 0
        /// Parked polls per event loop index.
        var waiters: [Int: Int] = [:]
    }

    /// The endpoint label of requests no route matched.
    public static let noEndpoint = "(none)"

    private let state = Mutex(State())

    public init() {}

    func recordRequest(endpoint: String, method: HTTPMethod, status: Int) {
        state.withLock { $0.requests[RequestKey(endpoint: endpoint, method: method.name, status: status), default: 0] &+= 1 }
    }

    func recordVersion(_ record: VersionRecord) {
        state.withLock { state in
            if record.kind == .rollback { state.rollbacks &+= 1 } else { state.publishes &+= 1 }
        }
    }

    /// The loop `index` now has `count` parked polls.
    func setWaiters(loop index: Int, count: Int) {
        state.withLock { $0.waiters[index] = count }
    }

    /// The exposition, with the values computed by the caller at scrape time.
    func render(dataplanesConnected: Int, staleAfterSeconds: Int, sqlite: Histogram) -> [UInt8] {
        let state = state.withLock { $0 }
        var out = PrometheusExposition()
        out.family("sluice_control_admin_requests_total", .counter,
                   help: "Admin API requests answered, by route template, method and status.")
        for (key, count) in state.requests.sorted(by: { $0.key < $1.key }) {
            out.sample("sluice_control_admin_requests_total",
                       labels: [("endpoint", key.endpoint), ("method", key.method), ("status", String(key.status))], count)
        }
        out.family("sluice_control_publishes_total", .counter, help: "Versions published (unchanged publishes excluded).")
        out.sample("sluice_control_publishes_total", state.publishes)
        out.family("sluice_control_rollbacks_total", .counter, help: "Versions created by a rollback.")
        out.sample("sluice_control_rollbacks_total", state.rollbacks)
        out.family("sluice_control_dataplanes_connected", .gauge,
                   help: "Data planes seen (poll or status report) in the last \(staleAfterSeconds) seconds.")
        out.sample("sluice_control_dataplanes_connected", UInt64(dataplanesConnected))
        out.family("sluice_control_longpoll_waiters", .gauge, help: "Data-plane long polls parked now.")
        out.sample("sluice_control_longpoll_waiters", UInt64(max(0, state.waiters.values.reduce(0, +))))
        out.family("sluice_control_sqlite_duration_seconds", .histogram,
                   help: "Time of each store call on the SQLite connection (lock wait excluded).")
        out.histogram("sluice_control_sqlite_duration_seconds", sqlite)
        return out.bytes
    }
}
