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
/// Observability (`ProxyObservability`): every answered request is counted in this worker's
/// `metrics` (route slot, method, status, duration; see `ProxyMetrics`) and, with an access log,
/// written as one JSON line to this worker's `AccessLogBuffer`. Both are nil when off.
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
    /// This worker's counters (nil with `--metrics off`). The policy step records refusals here:
    /// `metrics?.recordRateLimited(routeSlot: state.routeSlots[routeIndex], tier: name)` and
    /// `metrics?.recordAuthFailure(routeSlot: state.routeSlots[routeIndex], reason: "expired")`.
    public let metrics: ProxyMetrics?
    /// This worker's access log lines (nil with `--access-log off`).
    let accessLog: AccessLogBuffer?
    /// Failing upstream targets, for `upstream_down`/`upstream_up` events.
    var upstreamTransitions = UpstreamTransitions()
    /// `observedNow` when the current request's head arrived.
    var requestStart: UInt64 = 0

    /// The time durations are measured with: the monotonic clock itself (a vDSO read, ~20 ns)
    /// when metrics or the access log are on, so the gateway's own time (policy step, head
    /// rewriting) shows apart from the upstream's and a local answer is not 0 ms; otherwise the
    /// loop's cached time, which costs nothing.
    @inline(__always)
    var observedNow: UInt64 {
        metrics != nil || accessLog != nil ? MonotonicClock.nanoseconds() : loop.now
    }

    /// `runtime` is the process's policy state (one per process: its rate-limit table is shared
    /// by every worker and outlives config versions).
    public init(loop: EventLoop, store: ConfigStore, runtime: PolicyRuntime,
                clientConfiguration: UpstreamClientConfiguration = UpstreamClientConfiguration(),
                observability: ProxyObservability? = nil) {
        self.loop = loop
        policy = PolicyEvaluator(runtime: runtime)
        pools = UpstreamPools(loop: loop, configuration: clientConfiguration)
        reader = ConfigStore.Reader(store: store)
        requestID.reserveCapacity(128)
        if let registry = observability?.metrics {
            let metrics = ProxyMetrics()
            registry.register(metrics, on: loop)
            self.metrics = metrics
        } else {
            metrics = nil
        }
        accessLog = observability?.makeAccessLogBuffer(on: loop)
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
            state = ProxyWorkerState(config: config, registry: registry, pools: pools, metrics: metrics,
                                     accessLog: accessLog != nil)
            policy.adopt(config.policy)
        }
    }

    // MARK: HTTPServerHandler

    public func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        refreshState()
        requestStart = observedNow
        policy.clientAddress = nil
        let raw = bytes.bytes
        assignRequestID(head, raw)
        guard let state else {
            return answerLocally(connection, head, raw, status: 503, reason: "no configuration loaded")
        }
        if head.targetForm == .authority {
            return answerLocally(connection, head, raw, status: 501, reason: "CONNECT is not supported")
        }
        let config = state.config
        switch config.routeTable.lookup(head, bytes: raw) {
        case .notFound:
            answerLocally(connection, head, raw, status: 404, reason: "no route")
        case .methodNotAllowed(let allow):
            answerLocally(connection, head, raw, status: 405, reason: "method not allowed", allow: allow)
        case .matched(let routeIndex):
            let route = config.routes[routeIndex]
            var delay: UInt64 = 0
            if let compiled = route.policy {
                switch policy.evaluate(head, bytes: raw, route: compiled, peer: peerAddress(connection), now: loop.now) {
                case .proceed:
                    break
                case .delay(let nanoseconds):
                    delay = nanoseconds
                case .unauthorized:
                    return sendUnauthorized(connection, head, raw, route: (routeIndex, state))
                case .limited:
                    return sendLimited(connection, head, raw, route: (routeIndex, state))
                }
            }
            if case .contentLength(let length) = head.framing, length > route.maxBodyBytes {
                return answerLocally(connection, head, raw, status: 413, reason: "request body too large",
                                     route: (routeIndex, state))
            }
            connection.maxRequestBodyBytes = route.maxBodyBytes
            let exchange = spareExchanges.popLast() ?? ProxyExchange(proxy: self)
            if route.policy != nil { recordPolicy(on: exchange) }
            exchange.start(head, bytes: raw, routeIndex: routeIndex, route: route,
                           policy: route.policy == nil ? nil : self.policy, state: state, connection: connection,
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

    public func connectionOpened(_ connection: HTTPServerConnection) {
        metrics?.connectionOpened()
    }

    public func connectionClosed(_ connection: HTTPServerConnection) {
        metrics?.connectionClosed()
        guard let exchange = connection.context as? ProxyExchange else { return }
        exchange.abandon()
    }

    public func errorResponse(status: Int, reason: StaticString, connection: HTTPServerConnection) {
        if let exchange = connection.context as? ProxyExchange {
            // E.g. a chunked body over the route's limit: the upstream exchange is abandoned.
            requestID.removeAll(keepingCapacity: true)
            requestID.append(contentsOf: exchange.requestID)
            exchange.status = status
            exchange.bytesOut = HTTPServerConnection.errorBodyLength(reason: reason, requestID: requestID)
            exchange.abandon()
            sendError(connection, status: status, reason: reason, keepAlive: false)
        } else {
            // Refused before a head was parsed (400, 408, 431...): no route, no method.
            metrics?.recordRequest(routeSlot: 0, method: .other, status: status, nanoseconds: 0)
            if let accessLog {
                let line = AccessLogBuffer.Line(method: nil, status: status, bytesIn: 0,
                                                bytesOut: HTTPServerConnection.errorBodyLength(reason: reason, requestID: nil), durationNanoseconds: 0)
                accessLog.append(line, requestID: [], clientIP: peerText(connection), path: nil)
            }
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

    /// The client's address for the access log: the peer, or with `--trusted-proxies` the client
    /// behind them (the address the rate limits key on).
    func clientText(_ connection: HTTPServerConnection, _ head: HTTPRequestHead, _ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let proxies = policy.runtime.trustedProxies
        let peer = peerText(connection)
        guard !proxies.isEmpty, let address = cachedPeerAddress, connection.peerAddress != nil else { return peer }
        let client = policy.client(peer: address, head: head, bytes: bytes)
        return client == address ? peer : Array(client.description.utf8)
    }

    /// The client's address for rate-limit keys (nil if it is already gone).
    func peerAddress(_ connection: HTTPServerConnection) -> IPAddress? {
        guard connection.peerAddress != nil else { return nil }
        _ = peerText(connection)
        return cachedPeerAddress
    }

    /// 401 for refused credentials, with the policy step's `WWW-Authenticate` challenges.
    func sendUnauthorized(_ connection: HTTPServerConnection, _ head: HTTPRequestHead, _ raw: UnsafeRawBufferPointer,
                          route: (index: Int, state: ProxyWorkerState)) {
        let refusal = policy.refusal ?? AuthRefusal(reason: "missing", message: "missing credentials", challenges: ["Bearer"])
        metrics?.recordAuthFailure(routeSlot: route.state.routeSlots[route.index], reason: refusal.reason)
        answerLocally(connection, head, raw, status: 401, reason: refusal.message, route: route) { fields in
            for challenge in refusal.challenges { fields.add("WWW-Authenticate", Array(challenge.utf8)) }
        }
    }

    /// 429 with `Retry-After` and the rate-limit fields of the refusing decision.
    func sendLimited(_ connection: HTTPServerConnection, _ head: HTTPRequestHead, _ raw: UnsafeRawBufferPointer,
                     route: (index: Int, state: ProxyWorkerState)) {
        let policy = self.policy
        metrics?.recordRateLimited(routeSlot: route.state.routeSlots[route.index], tier: policy.tierName ?? "(none)")
        answerLocally(connection, head, raw, status: 429, reason: "rate limit exceeded", route: route,
                      consumerID: policy.identity?.consumerID, tier: policy.tierName, limit: .limited) { fields in
            fields.add("Retry-After", policy.retryAfterValue)
            fields.add("RateLimit-Policy", policy.limitPolicyValue)
            fields.add("RateLimit", policy.limitValue)
        }
    }

    /// Hands the policy step's identity and limit decision to `exchange` for the access log.
    func recordPolicy(on exchange: ProxyExchange) {
        exchange.consumerID = policy.identity?.consumerID
        exchange.tier = policy.tierName
        exchange.limit = policy.limitDecision
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

    /// Answers a request the proxy refuses itself (no config, no route, method, body too large;
    /// the policy step's 401/403/429 too, passing `route` and the access log's consumer, tier and
    /// limit decision) and records it: metrics under the route (`(none)` when not routed), an
    /// access log line.
    func answerLocally(_ connection: HTTPServerConnection, _ head: HTTPRequestHead, _ raw: UnsafeRawBufferPointer,
                       status: Int, reason: StaticString, allow: [UInt8]? = nil,
                       route: (index: Int, state: ProxyWorkerState)? = nil,
                       consumerID: String? = nil, tier: String? = nil, limit: AccessLogLimit? = nil,
                       extraFields: (inout HTTPResponseFields) -> Void = { _ in }) {
        let duration = observedNow &- requestStart
        if let metrics {
            let slot = route.map { $0.state.routeSlots[$0.index] } ?? 0
            metrics.recordRequest(routeSlot: slot, method: head.method, status: status, nanoseconds: duration)
        }
        if let accessLog {
            let line = AccessLogBuffer.Line(method: head.method, routeField: route.map { $0.state.routeFields[$0.index] },
                                            status: status, bytesIn: raw.count,
                                            bytesOut: HTTPServerConnection.errorBodyLength(reason: reason, requestID: requestID),
                                            durationNanoseconds: duration, consumerID: consumerID, tier: tier,
                                            limit: limit)
            let target = UnsafeRawBufferPointer(rebasing: raw[head.targetRange])
            accessLog.append(line, requestID: requestID, clientIP: clientText(connection, head, raw), path: accessLog.loggedPath(target))
        }
        sendError(connection, status: status, reason: reason, allow: allow, extraFields: extraFields)
    }


    /// A finished exchange comes back for reuse.
    func recycle(_ exchange: ProxyExchange) {
        if spareExchanges.count < Self.maxSpareExchanges { spareExchanges.append(exchange) }
    }
}
