import SluiceHTTP

/// The reverse proxy's `HTTPServerHandler`: one per event loop (make it in the server's handler
/// factory), with that loop's `UpstreamPools`, so a request, its upstream connection and its
/// timers all live on one thread and nothing takes a lock.
///
/// Per request: route (404/405) → policy step (`PolicyEvaluator`: credentials 401, limits 429 or a
/// shaping delay) → body limit (413) → target (smooth weighted round robin) →
/// pooled upstream connection → request head rewritten (`UpstreamRequestHead`) → body streamed
/// with backpressure → response streamed back with backpressure, `X-Request-Id` echoed.
/// Errors are JSON `{"error":"...","request_id":"..."}`: 502 refused/reset/bad response,
/// 503 no config or pool exhausted, 504 connect or response-head timeout (route `timeout_ms`).
/// A failure after the response head was sent closes the client connection.
///
/// Response heads: the upstream's fields minus hop-by-hop ones, its `Date`/`Server` replaced by
/// ours (the engine writes them), `X-Request-Id` echoed. Trailers are not forwarded in either
/// direction; 1xx interim responses are relayed except 100 (`Expect: 100-continue` is answered by
/// our server and not forwarded).
///
/// The config is read from `ConfigStore` through a per-worker reader: one relaxed atomic load per
/// request; a request keeps the config it started with.
///
/// Usage:
/// ```swift
/// let store = ConfigStore(try ConfigCompiler.compile(snapshot))
/// let server = try HTTPServer(configuration: serverConfiguration) { loop in
///     ProxyHandler(loop: loop, store: store)
/// }
/// ```
/// Thread affinity: its loop only.
public final class ProxyHandler: HTTPServerHandler {
    public let loop: EventLoop
    /// This loop's upstream connection pools.
    public let pools: UpstreamPools
    let reader: ConfigStore.Reader
    let registry = BalancerRegistry()
    /// This worker's policy step (JWT verifier and its cache, rate-limit batch).
    let policy: PolicyEvaluator
    var state: ProxyWorkerState?
    var requestIDs = RequestIDGenerator()
    /// Finished exchanges, reused so a request allocates no object (bounded).
    var spareExchanges: [ProxyExchange] = []
    static let maxSpareExchanges = 256

    /// The last peer host seen (port zeroed) and its text, for `X-Forwarded-For` without a
    /// `String` per request when clients repeat.
    var cachedPeer: SocketAddress?
    var cachedPeerText: [UInt8] = []
    var cachedPeerAddress: IPAddress?
    /// The current request's id (reused buffer).
    var requestID: [UInt8] = []

    /// `runtime` is the process's policy state (one per process: its rate-limit table is shared
    /// by every worker and outlives config versions).
    public init(loop: EventLoop, store: ConfigStore, runtime: PolicyRuntime,
                clientConfiguration: UpstreamClientConfiguration = UpstreamClientConfiguration()) {
        self.loop = loop
        policy = PolicyEvaluator(runtime: runtime)
        pools = UpstreamPools(loop: loop, configuration: clientConfiguration)
        reader = ConfigStore.Reader(store: store)
        requestID.reserveCapacity(128)
    }

    /// The config this worker uses for new requests (after picking up the latest one).
    public var currentConfig: CompiledConfig? {
        refreshState()
        return state?.config
    }

    /// Closes every idle upstream connection of this loop (call on the loop, e.g. at shutdown).
    public func closeIdleConnections() {
        pools.closeIdle()
    }

    @inline(__always)
    func refreshState() {
        if reader.refresh(), let config = reader.config {
            state = ProxyWorkerState(config: config, registry: registry, pools: pools)
            policy.adopt(config.policy)
        }
    }

    // MARK: HTTPServerHandler

    public func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        refreshState()
        let raw = bytes.bytes
        assignRequestID(head, raw)
        guard let state else {
            return sendError(connection, status: 503, reason: "no configuration loaded")
        }
        if head.targetForm == .authority {
            return sendError(connection, status: 501, reason: "CONNECT is not supported")
        }
        let config = state.config
        switch config.routeTable.lookup(head, bytes: raw) {
        case .notFound:
            sendError(connection, status: 404, reason: "no route")
        case .methodNotAllowed(let allow):
            sendError(connection, status: 405, reason: "method not allowed", allow: allow)
        case .matched(let routeIndex):
            let route = config.routes[routeIndex]
            var delay: UInt64 = 0
            var routePolicy: RoutePolicy? = nil
            if route.policyActive, let compiled = route.policy {
                routePolicy = compiled
                switch policy.evaluate(head, bytes: raw, route: compiled, peer: peerAddress(connection), now: loop.now) {
                case .proceed:
                    break
                case .delay(let nanoseconds):
                    delay = nanoseconds
                case .unauthorized:
                    return sendUnauthorized(connection)
                case .limited:
                    return sendLimited(connection)
                }
            }
            if case .contentLength(let length) = head.framing, length > route.maxBodyBytes {
                return sendError(connection, status: 413, reason: "request body too large")
            }
            connection.maxRequestBodyBytes = route.maxBodyBytes
            let exchange = spareExchanges.popLast() ?? ProxyExchange(proxy: self)
            exchange.start(head, bytes: raw, route: route, policy: routePolicy == nil ? nil : self.policy,
                           strippedNames: routePolicy?.strippedNames ?? [], state: state, connection: connection,
                           delay: delay)
        }
    }

    public func requestBody(_ bytes: ByteView, connection: HTTPServerConnection) {
        guard let exchange = connection.context as? ProxyExchange else { return }
        exchange.forwardBody(bytes.bytes)
    }

    public func requestEnd(trailers: ByteView?, connection: HTTPServerConnection) {
        guard let exchange = connection.context as? ProxyExchange else { return }
        exchange.forwardEnd()
    }

    public func connectionWritable(_ connection: HTTPServerConnection) {
        guard let exchange = connection.context as? ProxyExchange else { return }
        exchange.clientWritable()
    }

    public func connectionClosed(_ connection: HTTPServerConnection) {
        guard let exchange = connection.context as? ProxyExchange else { return }
        exchange.abandon()
    }

    public func errorResponse(status: Int, reason: StaticString, connection: HTTPServerConnection) {
        if let exchange = connection.context as? ProxyExchange {
            // E.g. a chunked body over the route's limit: the upstream exchange is abandoned.
            requestID.removeAll(keepingCapacity: true)
            requestID.append(contentsOf: exchange.requestID)
            exchange.abandon()
            sendError(connection, status: status, reason: reason, keepAlive: false)
        } else {
            connection.sendErrorResponse(status: status, reason: reason)
        }
    }

    // MARK: Helpers

    /// Keeps the first incoming `X-Request-Id` if valid, else generates one, into `requestID`.
    func assignRequestID(_ head: HTTPRequestHead, _ bytes: UnsafeRawBufferPointer) {
        requestID.removeAll(keepingCapacity: true)
        let known = head.knownFields
        for index in 0..<known.count where known[index] == .xRequestID {
            let value = UnsafeRawBufferPointer(rebasing: bytes[head.fields[index].valueRange])
            if RequestIDGenerator.isValid(value) {
                requestID.append(contentsOf: value)
                return
            }
            break
        }
        requestIDs.appendNext(to: &requestID)
    }

    /// The client's address as text for `X-Forwarded-For` (`unknown` if it is already gone).
    func peerText(_ connection: HTTPServerConnection) -> [UInt8] {
        guard let peer = connection.peerAddress else { return Array("unknown".utf8) }
        var key = peer
        key.port = 0
        if key != cachedPeer {
            cachedPeer = key
            cachedPeerText = Array(peer.host.utf8)
            cachedPeerAddress = cachedPeerText.withUnsafeBytes { IPAddress(bytes: $0) }
        }
        return cachedPeerText
    }

    /// The client's address for rate-limit keys (nil if it is already gone).
    func peerAddress(_ connection: HTTPServerConnection) -> IPAddress? {
        guard connection.peerAddress != nil else { return nil }
        _ = peerText(connection)
        return cachedPeerAddress
    }

    /// 401 for refused credentials, with the policy step's `WWW-Authenticate` challenges.
    func sendUnauthorized(_ connection: HTTPServerConnection) {
        let refusal = policy.refusal ?? AuthRefusal(reason: "missing", message: "missing credentials", challenges: ["Bearer"])
        sendError(connection, status: 401, reason: refusal.message) { fields in
            for challenge in refusal.challenges { fields.add("WWW-Authenticate", Array(challenge.utf8)) }
        }
    }

    /// 429 with `Retry-After` and the rate-limit fields of the refusing decision.
    func sendLimited(_ connection: HTTPServerConnection) {
        let policy = self.policy
        sendError(connection, status: 429, reason: "rate limit exceeded") { fields in
            fields.add("Retry-After", policy.retryAfterValue)
            fields.add("RateLimit-Policy", policy.limitPolicyValue)
            fields.add("RateLimit", policy.limitValue)
        }
    }

    /// A JSON error answer carrying `requestID` (body and `X-Request-Id`). The proxy's own answers
    /// about a well-framed request (no route, upstream failed) keep the connection; answers to
    /// errors the engine detected in the byte stream (`keepAlive: false`) close it.
    func sendError(_ connection: HTTPServerConnection, status: Int, reason: StaticString, allow: [UInt8]? = nil,
                   keepAlive: Bool = true, extraFields: (inout HTTPResponseFields) -> Void = { _ in }) {
        let id = requestID
        connection.sendErrorResponse(status: status, reason: reason, requestID: String(decoding: id, as: UTF8.self),
                                     keepAlive: keepAlive) { fields in
            fields.add("X-Request-Id", id)
            if let allow { fields.add("Allow", allow) }
            extraFields(&fields)
        }
    }

    /// A finished exchange comes back for reuse.
    func recycle(_ exchange: ProxyExchange) {
        if spareExchanges.count < Self.maxSpareExchanges { spareExchanges.append(exchange) }
    }
}
