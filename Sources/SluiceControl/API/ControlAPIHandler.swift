import SluiceHTTP

/// The control plane's `HTTPServerHandler`, one per event loop: buffers each request body (up to
/// `maxBodyBytes`, over it 413), hands the whole request to the shared `ControlAPI`, and writes
/// its answer — or parks a data-plane long poll in this loop's `LongPollRegistry`.
///
/// Thread affinity: its loop only. The store calls made by `ControlAPI` are synchronous (SQLite,
/// milliseconds); the admin API is low-traffic, so they run on the loop.
public final class ControlAPIHandler: HTTPServerHandler {
    /// Request bodies above this are refused with 413 (entities and snapshots are small).
    public static let maxBodyBytes = 1 << 20

    let api: ControlAPI
    let registry: LongPollRegistry

    /// Call on `loop` (the server's handler factory does).
    public init(loop: EventLoop, api: ControlAPI) {
        self.api = api
        let metrics = api.metrics
        registry = LongPollRegistry(loop: loop, snapshotResponse: { after in api.snapshotResponse(after: after) },
                                    send: { response, connection in
                                        metrics.recordRequest(endpoint: "/v1/dataplane/snapshot", method: .GET,
                                                              status: response.status)
                                        ControlAPIHandler.send(response, on: connection)
                                    }, metrics: metrics)
        api.broadcaster.add(registry, on: loop)
    }

    /// The request being received on a connection.
    final class PendingRequest {
        var request: APIRequest
        init(_ request: APIRequest) { self.request = request }
    }

    public func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        connection.maxRequestBodyBytes = Self.maxBodyBytes
        connection.context = PendingRequest(APIRequest(head: head, bytes: bytes))
    }

    public func requestBody(_ bytes: ByteView, connection: HTTPServerConnection) {
        guard let pending = connection.context as? PendingRequest else { return }
        pending.request.body.append(contentsOf: bytes.bytes)
    }

    public func requestEnd(trailers: ByteView?, connection: HTTPServerConnection) {
        guard let pending = connection.context as? PendingRequest else { return }
        connection.context = nil
        let match = api.router.match(method: pending.request.method, path: pending.request.path)
        switch api.handle(pending.request, match: match) {
        case .respond(let response):
            api.metrics.recordRequest(endpoint: ControlAPI.metricsEndpoint(match), method: pending.request.method,
                                      status: response.status)
            Self.send(response, on: connection)
        case .longPoll(let after, let waitNanoseconds):
            registry.park(connection, after: after, waitNanoseconds: waitNanoseconds)
        }
    }

    public func connectionClosed(_ connection: HTTPServerConnection) {
        registry.remove(connection)
    }

    /// The engine's own errors (malformed request, 413, 408...) in the API's error shape.
    public func errorResponse(status: Int, reason: StaticString, connection: HTTPServerConnection) {
        connection.closeAfterThisResponse()
        let pending = connection.context as? PendingRequest
        connection.context = nil
        let match = pending.map { api.router.match(method: $0.request.method, path: $0.request.path) }
        api.metrics.recordRequest(endpoint: match.map(ControlAPI.metricsEndpoint) ?? ControlMetrics.noEndpoint,
                                  method: pending?.request.method ?? .other, status: status)
        Self.send(.error(status, reason.description), on: connection)
    }

    /// Writes `response` with `Content-Type: application/json` (when it has a body) and
    /// `Cache-Control: no-store` unless the response set its own.
    static func send(_ response: APIResponse, on connection: HTTPServerConnection) {
        connection.sendResponse(status: response.status, body: response.body) { fields in
            if !response.body.isEmpty && response.header("Content-Type") == nil {
                fields.add("Content-Type", "application/json")
            }
            if response.header("Cache-Control") == nil { fields.add("Cache-Control", "no-store") }
            for header in response.headers { fields.addString(header.name, header.value) }
        }
    }
}
