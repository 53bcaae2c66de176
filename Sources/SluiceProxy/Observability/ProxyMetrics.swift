import SluiceHTTP

/// One proxy worker's counters and histograms, for `GET /metrics` on the admin listener.
///
/// **Why plain arrays**: every counter has exactly one writer, its worker's loop, so recording is
/// an ordinary array increment — no atomic read-modify-write, no lock, no allocation once a label
/// slot exists. A scrape posts a task to each worker loop (`ProxyMetricsRegistry.collect`) that
/// copies the arrays (`Copy`, copy-on-write) on that loop, so reads never race with writes and
/// Swift 6 strict concurrency holds without any `unsafe` escape; the admin loop sums the copies by
/// label name. A scrape therefore sees each worker as of one moment of that worker.
///
/// **Labels**: routes and upstreams are counted by *name*, through per-worker slots that only grow
/// (`routeSlot(named:)`): a config swap maps the new config's routes to the same slots by name
/// (`ProxyWorkerState.routeSlots`), and a request in flight on the old config keeps the slot it
/// started with, so it counts under its route. Slot 0 is `route="(none)"`: requests that matched
/// no route (404, 405) or failed before routing (400, 408, 431, 503 without config). Slots are
/// bounded by the distinct names ever configured during the process's life.
///
/// Thread affinity: its worker's loop.
public final class ProxyMetrics {
    /// The route label of requests that matched no route.
    public static let noRoute = "(none)"
    static let methodCount = 10
    static let statusClassCount = 5
    static let perRoute = methodCount * statusClassCount

    private(set) var routeNames: [String] = [ProxyMetrics.noRoute]
    private var routeSlotsByName: [String: Int] = [ProxyMetrics.noRoute: 0]
    private(set) var upstreamNames: [String] = []
    private var upstreamSlotsByName: [String: Int] = [:]

    /// `requests[route * perRoute + method * 5 + statusClass]`.
    private var requests: [UInt64] = Array(repeating: 0, count: ProxyMetrics.perRoute)
    private var requestDurations = HistogramSet(buckets: .latency)
    private var upstreamDurations = HistogramSet(buckets: .latency)
    /// `upstreamErrors[upstream * kinds + kind]`.
    private var upstreamErrors: [UInt64] = []
    private var rateLimited: [SlotLabel: UInt64] = [:]
    private var authFailures: [SlotLabel: UInt64] = [:]
    /// Client connections open on this worker.
    private(set) var activeConnections = 0

    public init() {}

    struct SlotLabel: Hashable, Sendable {
        var slot: Int
        var label: String
    }

    // MARK: Slots (off the hot path: once per config swap per worker)

    /// The slot counting route `name` on this worker (stable for the process's life).
    public func routeSlot(named name: String) -> Int {
        if let slot = routeSlotsByName[name] { return slot }
        let slot = routeNames.count
        routeNames.append(name)
        routeSlotsByName[name] = slot
        requests.append(contentsOf: repeatElement(0, count: Self.perRoute))
        return slot
    }

    /// The slot counting upstream `name` on this worker.
    public func upstreamSlot(named name: String) -> Int {
        if let slot = upstreamSlotsByName[name] { return slot }
        let slot = upstreamNames.count
        upstreamNames.append(name)
        upstreamSlotsByName[name] = slot
        upstreamErrors.append(contentsOf: repeatElement(0, count: UpstreamErrorKind.allCases.count))
        return slot
    }

    // MARK: Recording (hot path)

    /// One answered request: its route slot, method, final status and duration.
    @inline(__always)
    func recordRequest(routeSlot: Int, method: HTTPMethod, status: Int, nanoseconds: UInt64) {
        let statusClass = min(max(status / 100 - 1, 0), Self.statusClassCount - 1)
        requests[routeSlot &* Self.perRoute &+ Int(method.rawValue) &* Self.statusClassCount &+ statusClass] &+= 1
        requestDurations.record(key: routeSlot, nanoseconds: nanoseconds)
    }

    /// One upstream exchange that ended (response complete or failed).
    @inline(__always)
    func recordUpstream(upstreamSlot: Int, nanoseconds: UInt64) {
        upstreamDurations.record(key: upstreamSlot, nanoseconds: nanoseconds)
    }

    func recordUpstreamError(upstreamSlot: Int, kind: UpstreamErrorKind) {
        upstreamErrors[upstreamSlot &* UpstreamErrorKind.allCases.count &+ kind.rawValue] &+= 1
    }

    /// A request refused (429) or delayed by a rate limit: `routeSlot` from
    /// `ProxyWorkerState.routeSlots[routeIndex]`, `tier` the consumer's tier name (`""` when the
    /// limit is the route's or the org's own; label it as you wish, e.g. `"anonymous"`).
    public func recordRateLimited(routeSlot: Int, tier: String) {
        rateLimited[SlotLabel(slot: routeSlot, label: tier), default: 0] &+= 1
    }

    /// A request refused by authentication (401/403): `reason` a short fixed word such as
    /// `missing`, `malformed`, `bad_signature`, `expired`, `unknown_key`, `unknown_api_key`.
    public func recordAuthFailure(routeSlot: Int, reason: String) {
        authFailures[SlotLabel(slot: routeSlot, label: reason), default: 0] &+= 1
    }

    func connectionOpened() { activeConnections += 1 }
    func connectionClosed() { activeConnections -= 1 }

    // MARK: Scrape

    /// A copy of every value, taken on the worker's loop, to be summed elsewhere.
    struct Copy: Sendable {
        var routeNames: [String]
        var upstreamNames: [String]
        var requests: [UInt64]
        var requestDurations: HistogramSet
        var upstreamDurations: HistogramSet
        var upstreamErrors: [UInt64]
        var rateLimited: [SlotLabel: UInt64]
        var authFailures: [SlotLabel: UInt64]
        var activeConnections: Int
    }

    func copy() -> Copy {
        Copy(routeNames: routeNames, upstreamNames: upstreamNames, requests: requests,
             requestDurations: requestDurations, upstreamDurations: upstreamDurations, upstreamErrors: upstreamErrors,
             rateLimited: rateLimited, authFailures: authFailures, activeConnections: activeConnections)
    }
}

/// The `kind` label of `sluice_upstream_errors_total`, from the engine's `HTTPClientError`.
enum UpstreamErrorKind: Int, CaseIterable, Sendable {
    /// Connection refused or could not be made (ECONNREFUSED, unreachable).
    case refused
    /// The connection was reset or closed before the response completed.
    case reset
    /// Connect, response-head, read or write timeout (also the route's `timeout_ms`).
    case timeout
    /// A response that broke HTTP/1.1 framing, or a body over the limit.
    case badResponse

    var label: String {
        switch self {
        case .refused: "refused"
        case .reset: "reset"
        case .timeout: "timeout"
        case .badResponse: "bad_response"
        }
    }

    /// Nil for `poolExhausted`: our own limit, not the upstream's fault (it is a 503 in `requests_total`).
    init?(_ kind: HTTPClientError.Kind) {
        switch kind {
        case .connectRefused, .connectFailed: self = .refused
        case .reset: self = .reset
        case .connectTimeout, .responseTimeout, .readTimeout, .writeTimeout: self = .timeout
        case .malformedResponse, .bodyTooLarge: self = .badResponse
        case .poolExhausted: return nil
        }
    }
}

extension HTTPMethod {
    /// The `method` label.
    static let metricLabels = metricLiterals.map(\.description)
    /// The same, for appending to byte buffers without `String`.
    static let metricLiterals: [StaticString] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
                                                 "CONNECT", "OTHER"]
}
