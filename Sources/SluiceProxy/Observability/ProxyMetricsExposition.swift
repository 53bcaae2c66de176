import SluiceHTTP

/// The data plane's `GET /metrics` body: the workers' copies summed by label name, plus config
/// state, the access log's drops and process facts. Families, in order:
///
/// - `sluice_requests_total{route,method,status_class}` counter: answered requests (`route` the
///   route name or `(none)`; `method` GET…CONNECT or OTHER; `status_class` 1xx…5xx; a client that
///   left before the answer counts as 499, so `4xx`);
/// - `sluice_request_duration_seconds{route}` histogram: first byte of the head to the end of the answer;
/// - `sluice_upstream_duration_seconds{upstream}` histogram: request sent to response complete (or failed);
/// - `sluice_upstream_errors_total{upstream,kind}` counter, kind `refused|reset|timeout|bad_response`;
/// - `sluice_active_connections` gauge: open client connections;
/// - `sluice_rate_limited_total{route,tier}`, `sluice_auth_failures_total{route,reason}` counters;
/// - `sluice_config_version` gauge (-1 before the first config), `sluice_config_generation` gauge,
///   `sluice_config_apply_failures_total` counter;
/// - `sluice_access_log_dropped_total` counter (lines dropped because the sink was too slow);
/// - `process_resident_memory_bytes`, `process_open_fds`, `process_start_time_seconds` gauges and
///   `sluice_uptime_seconds` gauge.
///
/// Samples are sorted by labels so two scrapes list them in the same order. Runs on the admin
/// loop, never on a worker.
enum ProxyMetricsExposition {
    struct RequestKey: Hashable, Comparable {
        var route: String
        var method: Int
        var statusClass: Int

        static func < (lhs: RequestKey, rhs: RequestKey) -> Bool {
            (lhs.route, lhs.method, lhs.statusClass) < (rhs.route, rhs.method, rhs.statusClass)
        }
    }

    struct PairKey: Hashable, Comparable {
        var first: String
        var second: String

        static func < (lhs: PairKey, rhs: PairKey) -> Bool { (lhs.first, lhs.second) < (rhs.first, rhs.second) }
    }

    static func render(_ copies: [ProxyMetrics.Copy], status: ProxyStatus.Report, accessLogDropped: UInt64?,
                       startTime: Double?) -> [UInt8] {
        var requests: [RequestKey: UInt64] = [:]
        var requestDurations: [String: Histogram] = [:]
        var upstreamDurations: [String: Histogram] = [:]
        var upstreamErrors: [PairKey: UInt64] = [:]
        var rateLimited: [PairKey: UInt64] = [:]
        var authFailures: [PairKey: UInt64] = [:]
        var connections = 0
        let kinds = UpstreamErrorKind.allCases
        for copy in copies {
            connections += copy.activeConnections
            for (index, count) in copy.requests.enumerated() where count > 0 {
                let route = copy.routeNames[index / ProxyMetrics.perRoute]
                let rest = index % ProxyMetrics.perRoute
                let key = RequestKey(route: route, method: rest / ProxyMetrics.statusClassCount,
                                     statusClass: rest % ProxyMetrics.statusClassCount)
                requests[key, default: 0] &+= count
            }
            merge(copy.requestDurations, names: copy.routeNames, into: &requestDurations)
            merge(copy.upstreamDurations, names: copy.upstreamNames, into: &upstreamDurations)
            for (index, count) in copy.upstreamErrors.enumerated() where count > 0 {
                let key = PairKey(first: copy.upstreamNames[index / kinds.count], second: kinds[index % kinds.count].label)
                upstreamErrors[key, default: 0] &+= count
            }
            for (key, count) in copy.rateLimited {
                rateLimited[PairKey(first: copy.routeNames[key.slot], second: key.label), default: 0] &+= count
            }
            for (key, count) in copy.authFailures {
                authFailures[PairKey(first: copy.routeNames[key.slot], second: key.label), default: 0] &+= count
            }
        }

        var out = PrometheusExposition()
        out.family("sluice_requests_total", .counter, help: "Requests answered, by route name, method and status class.")
        for (key, count) in requests.sorted(by: { $0.key < $1.key }) {
            out.sample("sluice_requests_total", labels: [("route", key.route), ("method", HTTPMethod.metricLabels[key.method]),
                                                         ("status_class", "\(key.statusClass + 1)xx")], count)
        }
        out.family("sluice_request_duration_seconds", .histogram,
                   help: "Time from a request's head to the end of its answer, by route name.")
        for (route, histogram) in requestDurations.sorted(by: { $0.key < $1.key }) {
            out.histogram("sluice_request_duration_seconds", labels: [("route", route)], histogram)
        }
        out.family("sluice_upstream_duration_seconds", .histogram,
                   help: "Time from sending a request upstream to its response's end (or failure), by upstream name.")
        for (upstream, histogram) in upstreamDurations.sorted(by: { $0.key < $1.key }) {
            out.histogram("sluice_upstream_duration_seconds", labels: [("upstream", upstream)], histogram)
        }
        out.family("sluice_upstream_errors_total", .counter,
                   help: "Upstream exchanges that failed, by upstream name and kind (refused, reset, timeout, bad_response).")
        for (key, count) in upstreamErrors.sorted(by: { $0.key < $1.key }) {
            out.sample("sluice_upstream_errors_total", labels: [("upstream", key.first), ("kind", key.second)], count)
        }
        out.family("sluice_active_connections", .gauge, help: "Open client connections.")
        out.sample("sluice_active_connections", UInt64(max(0, connections)))
        out.family("sluice_rate_limited_total", .counter, help: "Requests refused (429) by a rate limit, by route and tier; shaped (delayed) requests show in the access log as limit=delayed.")
        for (key, count) in rateLimited.sorted(by: { $0.key < $1.key }) {
            out.sample("sluice_rate_limited_total", labels: [("route", key.first), ("tier", key.second)], count)
        }
        out.family("sluice_auth_failures_total", .counter, help: "Requests refused by authentication, by route and reason.")
        for (key, count) in authFailures.sorted(by: { $0.key < $1.key }) {
            out.sample("sluice_auth_failures_total", labels: [("route", key.first), ("reason", key.second)], count)
        }
        out.family("sluice_config_version", .gauge, help: "Version of the config in service (-1 before the first one).")
        out.sample("sluice_config_version", double: Double(status.version ?? -1))
        out.family("sluice_config_generation", .gauge, help: "Configs put into service since start.")
        out.sample("sluice_config_generation", UInt64(status.generation))
        out.family("sluice_config_apply_failures_total", .counter, help: "Configs refused (unreadable, invalid or not compilable).")
        out.sample("sluice_config_apply_failures_total", UInt64(status.applyFailures))
        out.family("sluice_access_log_dropped_total", .counter, help: "Access log lines dropped because the sink was too slow.")
        out.sample("sluice_access_log_dropped_total", accessLogDropped ?? 0)
        if let rss = ProcessMetrics.residentMemoryBytes() {
            out.family("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.")
            out.sample("process_resident_memory_bytes", UInt64(rss))
        }
        if let descriptors = ProcessMetrics.openFileDescriptors() {
            out.family("process_open_fds", .gauge, help: "Number of open file descriptors.")
            out.sample("process_open_fds", UInt64(descriptors))
        }
        if let startTime {
            out.family("process_start_time_seconds", .gauge, help: "Start time of the process since the Unix epoch in seconds.")
            out.sample("process_start_time_seconds", double: startTime)
            out.family("sluice_uptime_seconds", .gauge, help: "Seconds since the process started.")
            out.sample("sluice_uptime_seconds", double: max(0, Double(MonotonicClock.wallMilliseconds()) / 1000 - startTime))
        }
        return out.bytes
    }

    private static func merge(_ set: HistogramSet, names: [String], into merged: inout [String: Histogram]) {
        for key in 0..<set.keyCount {
            let histogram = set.histogram(key: key)
            guard histogram.count > 0 else { continue }
            merged[names[key], default: Histogram(buckets: set.buckets)].merge(histogram)
        }
    }
}
