import SluiceConfig
import SluiceHTTP

/// The data plane's admin listener (`--admin-listen`), one per admin event loop, reading a shared
/// `ProxyStatus`. JSON bodies, `Content-Type: application/json`, `Cache-Control: no-store`:
///
/// - `GET /health` → 200 `{"status":"ok"}` while the process runs (liveness).
/// - `GET /ready` → 200 `{"ready":true,"version":N}` once a config is loaded, else 503 `{"ready":false}`.
/// - `GET /status` → 200, see `ProxyStatus.Report.statusJSON`.
/// - `GET /metrics` → 200, Prometheus text format (`Content-Type: text/plain; version=0.0.4`),
///   see `ProxyMetricsExposition`. Answered asynchronously: a task on each proxy worker copies its
///   counters, the last one hands them back to this loop, which sums and writes them.
/// - Another path → 404 `{"error":"not found"}`; another method on these paths → 405
///   `{"error":"method not allowed"}` with `Allow: GET, HEAD`. HEAD answers like GET, without body.
///
/// Runs on its own small server, never on the proxy workers; the query string is ignored.
public final class AdminHandler: HTTPServerHandler {
    private let status: ProxyStatus
    private let loop: EventLoop?
    private let observability: ProxyObservability?

    /// `loop` and `observability` are needed for `/metrics` (without them it answers 404).
    public init(status: ProxyStatus, loop: EventLoop? = nil, observability: ProxyObservability? = nil) {
        self.status = status
        self.loop = loop
        self.observability = observability
    }

    enum Endpoint {
        case health, ready, status, metrics
    }

    public func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        let path = bytes[head.pathRange]
        let endpoint: Endpoint
        if path.equals("/health") {
            endpoint = .health
        } else if path.equals("/ready") {
            endpoint = .ready
        } else if path.equals("/status") {
            endpoint = .status
        } else if path.equals("/metrics"), loop != nil, observability != nil {
            endpoint = .metrics
        } else {
            send(404, Array(#"{"error":"not found"}"#.utf8), on: connection)
            return
        }
        guard head.method == .GET || head.method == .HEAD else {
            send(405, Array(#"{"error":"method not allowed"}"#.utf8), on: connection) { fields in
                fields.add("Allow", "GET, HEAD")
            }
            return
        }
        switch endpoint {
        case .health:
            send(200, Array(#"{"status":"ok"}"#.utf8), on: connection)
        case .ready:
            let report = status.report
            send(report.isReady ? 200 : 503, report.readyJSON, on: connection)
        case .status:
            send(200, status.report.statusJSON, on: connection)
        case .metrics:
            scrape(connection)
        }
    }

    private func scrape(_ connection: HTTPServerConnection) {
        guard let loop, let observability else { return }
        let bound = LoopBound(connection, on: loop)
        let status = status
        let inbox = loop.inbox
        let finish: @Sendable ([ProxyMetrics.Copy]) -> Void = { copies in
            inbox.execute { loop in
                let connection = bound.value(on: loop)
                guard connection.isOpen else { return }
                let body = ProxyMetricsExposition.render(copies, status: status.report,
                                                         accessLogDropped: observability.accessLog?.droppedLines,
                                                         startTime: observability.processStartTime)
                connection.sendResponse(status: 200, body: body) { fields in
                    fields.add("Content-Type", PrometheusExposition.contentType)
                    fields.add("Cache-Control", "no-store")
                }
            }
        }
        if let registry = observability.metrics {
            registry.collect(finish)
        } else {
            finish([])
        }
    }

    private func send(_ code: Int, _ body: [UInt8], on connection: HTTPServerConnection,
                      extraFields: (inout HTTPResponseFields) -> Void = { _ in }) {
        connection.sendResponse(status: code, body: body) { fields in
            fields.add("Content-Type", "application/json")
            fields.add("Cache-Control", "no-store")
            extraFields(&fields)
        }
    }
}
