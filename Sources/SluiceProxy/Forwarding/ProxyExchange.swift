import SluiceHTTP

/// One proxied request: the client connection's current request and the upstream exchange that
/// serves it. Owned by its `ProxyHandler`; set as the client connection's `context` while
/// active; reused for later requests once finished (its buffers keep their capacity).
///
/// Lifecycle: `start` → (body forwarded) → the upstream answers (head, body, end) or fails →
/// `finish` (detaches from both sides, then recycles). A retry happens at most once, only before
/// any response byte, for an idempotent bodiless request that failed on a reused connection.
///
/// Thread affinity: its handler's loop.
final class ProxyExchange: EventLoopTimerHandler {
    unowned let proxy: ProxyHandler
    var client: HTTPServerConnection?
    var upstream: UpstreamConnection?
    var state: ProxyWorkerState?
    var upstreamIndex = 0
    var targetIndex = 0
    var method = HTTPMethod.GET
    var chunkedRequest = false
    var bodyless = true
    var retried = false
    var responseStarted = false
    var clientReadingPaused = false
    var upstreamPaused = false
    var timeoutNanoseconds: UInt64 = 0
    var timer = TimerToken.none
    /// Bumped by `finish`, so code after a callback can tell the exchange ended meanwhile.
    var serial: UInt64 = 0
    /// The upstream request head (kept for a retry) and chunk framing scratch; capacity reused.
    var head: [UInt8] = []
    var chunk: [UInt8] = []
    var requestID: [UInt8] = []
    /// `RateLimit-Policy` / `RateLimit` values for the response (empty when no limit applied).
    var limitPolicyValue: [UInt8] = []
    var limitValue: [UInt8] = []
    /// Timer tags: the connect/response-head timeout, or the end of a shaping delay.
    static let timeoutTag = 0
    static let delayTag = 1

    // Observability: recorded once, in `finish`.
    var routeIndex = 0
    /// `ProxyHandler.observedNow` at the request head, and when the current upstream attempt started.
    var startedAt: UInt64 = 0
    var upstreamStartedAt: UInt64 = 0
    /// Set once an upstream attempt ended (complete or failed); nil: no upstream was asked.
    var upstreamNanoseconds: UInt64?
    /// The status answered (the upstream's, ours, or 499 when the client left first); 0 until known.
    var status = 0
    var bytesIn = 0
    var bytesOut = 0
    /// Not yet counted and logged.
    var recordPending = false
    /// The logged path and client address (access log on only; capacity reused).
    var logPath: [UInt8] = []
    var logClient: [UInt8] = []
    /// For the access log (`consumer_id`, `tier`, `limit`; null while nil): set by the policy step
    /// on the exchange taken from `spareExchanges` *before* `start` (start may finish at once on
    /// a synchronous upstream failure); cleared in `finish` after the line was written.
    var consumerID: String?
    var tier: String?
    var limit: AccessLogLimit?

    init(proxy: ProxyHandler) {
        self.proxy = proxy
    }

    // MARK: Request side

    /// Starts forwarding. `policy` (when the route's policy step ran) supplies the identity field
    /// lines and the rate-limit response fields; `delay` > 0 holds the request (head written, body
    /// not read) that long first: shape mode.
    func start(_ request: HTTPRequestHead, bytes: UnsafeRawBufferPointer, routeIndex: Int, route: CompiledRoute,
               policy: PolicyEvaluator?, state: ProxyWorkerState,
               connection: HTTPServerConnection, delay: UInt64 = 0) {
        client = connection
        self.routeIndex = routeIndex
        startedAt = proxy.requestStart
        upstreamNanoseconds = nil
        status = 0
        bytesIn = bytes.count
        bytesOut = 0
        recordPending = true
        if let accessLog = proxy.accessLog {
            logPath.removeAll(keepingCapacity: true)
            logPath.append(contentsOf: accessLog.loggedPath(UnsafeRawBufferPointer(rebasing: bytes[request.targetRange])))
            logClient.removeAll(keepingCapacity: true)
            logClient.append(contentsOf: proxy.clientText(connection, request, bytes))
        }
        self.state = state
        connection.context = self
        upstreamIndex = route.upstreamIndex
        method = request.method
        retried = false
        responseStarted = false
        clientReadingPaused = false
        upstreamPaused = false
        timeoutNanoseconds = route.timeoutNanoseconds
        switch request.framing {
        case .none, .untilClose, .contentLength(0):
            bodyless = true
            chunkedRequest = false
        case .contentLength:
            bodyless = false
            chunkedRequest = false
        case .chunked:
            bodyless = false
            chunkedRequest = true
        }
        requestID.removeAll(keepingCapacity: true)
        requestID.append(contentsOf: proxy.requestID)
        targetIndex = state.targetCounts[upstreamIndex] > 1 ? state.balancers[upstreamIndex].next() : 0
        head.removeAll(keepingCapacity: true)
        limitPolicyValue.removeAll(keepingCapacity: true)
        limitValue.removeAll(keepingCapacity: true)
        UpstreamRequestHead.write(request, bytes: bytes, stripLength: route.stripLength,
                                  peer: proxy.peerText(connection), requestID: requestID,
                                  defaultHost: state.hostFieldValues[upstreamIndex][targetIndex],
                                  identity: policy?.fieldLines ?? [], strippedNames: state.config.policy.strippedClaimNames,
                                  to: &head)
        if let policy {
            limitPolicyValue.append(contentsOf: policy.limitPolicyValue)
            limitValue.append(contentsOf: policy.limitValue)
        }
        if delay > 0 {
            // Shape mode: the budget is taken; hold the request (and its body) until its slot.
            clientReadingPaused = true
            connection.pauseReading()
            timer = proxy.loop.armTimer(after: delay, handler: self, tag: Self.delayTag)
            return
        }
        timer = proxy.loop.armTimer(after: timeoutNanoseconds, handler: self, tag: Self.timeoutTag)
        sendHead()
    }

    /// Checks out a connection to the chosen target and starts the request on it.
    func sendHead() {
        guard let state, let pool = state.pools[upstreamIndex][targetIndex] else {
            return fail(status: 502, reason: "upstream unavailable")
        }
        let connection: UpstreamConnection
        upstreamStartedAt = proxy.observedNow
        do {
            connection = try pool.checkout()
        } catch {
            return failed(error)
        }
        upstream = connection
        let started = head.withUnsafeBytes {
            connection.startRequest(head: $0, method: method, idempotent: method.isIdempotent,
                                    endOfRequest: bodyless, handler: self)
        }
        if !started {
            upstream = nil
            connection.cancel()
            fail(status: 502, reason: "upstream unavailable")
        }
    }

    /// Request body bytes from the client (chunk framing already removed by the server).
    func forwardBody(_ bytes: UnsafeRawBufferPointer) {
        guard let upstream, !bytes.isEmpty else { return }
        bytesIn &+= bytes.count
        let writable: Bool
        if chunkedRequest {
            chunk.removeAll(keepingCapacity: true)
            HTTPHeadWriter.appendChunkSizeLine(bytes.count, to: &chunk)
            chunk.append(contentsOf: bytes)
            chunk.append(0x0D)
            chunk.append(0x0A)
            writable = chunk.withUnsafeBytes { upstream.writeRequestBody($0) }
        } else {
            writable = upstream.writeRequestBody(bytes)
        }
        if !writable, !upstream.isClosed, self.upstream === upstream, let client {
            clientReadingPaused = true
            client.pauseReading()
        }
    }

    /// The client's request is complete.
    func forwardEnd() {
        guard let upstream, !bodyless else { return }
        if chunkedRequest {
            let last: StaticString = "0\r\n\r\n"
            _ = last.withUTF8Buffer { upstream.writeRequestBody(UnsafeRawBufferPointer($0)) }
        }
        guard self.upstream === upstream else { return }
        upstream.endRequest()
        // The response-head timeout counts from the end of the upload.
        if !responseStarted, self.upstream != nil {
            _ = proxy.loop.cancelTimer(timer)
            timer = proxy.loop.armTimer(after: timeoutNanoseconds, handler: self)
        }
    }

    /// The client's write queue drained: resume reading the upstream response.
    func clientWritable() {
        guard upstreamPaused, let upstream else { return }
        upstreamPaused = false
        upstream.resumeResponse()
    }

    /// The client went away (or the server answered an error itself): drop the upstream side.
    func abandon() {
        if status == 0 { status = 499 }
        let upstream = self.upstream
        self.upstream = nil
        upstream?.cancel()
        finish()
    }

    // MARK: Timeout

    func timerFired(tag: Int) {
        timer = .none
        if tag == Self.delayTag {
            guard let client else { return }
            clientReadingPaused = false
            timer = proxy.loop.armTimer(after: timeoutNanoseconds, handler: self, tag: Self.timeoutTag)
            sendHead()
            // The body flows now (or, if the upstream failed, the server discards it).
            client.resumeReading()
            return
        }
        guard !responseStarted, let upstream else { return }
        self.upstream = nil
        upstream.cancel()
        upstreamEnded(error: .timeout)
        fail(status: 504, reason: "upstream timeout")
    }

    // MARK: Ending

    /// Answers the client with an error (before any response byte) and finishes.
    func fail(status: Int, reason: StaticString) {
        self.status = status
        bytesOut = HTTPServerConnection.errorBodyLength(reason: reason, requestID: requestID)
        guard let client else { return finish() }
        finish()
        let proxy = self.proxy
        proxy.requestID.removeAll(keepingCapacity: true)
        proxy.requestID.append(contentsOf: requestID)
        guard !limitPolicyValue.isEmpty else { return proxy.sendError(client, status: status, reason: reason) }
        // A limited route's every response carries its rate-limit fields, the proxy's own too.
        let limitPolicy = limitPolicyValue
        let limit = limitValue
        proxy.sendError(client, status: status, reason: reason) { fields in
            fields.add("RateLimit-Policy", limitPolicy)
            fields.add("RateLimit", limit)
        }
    }

    /// Detaches from the client connection and the upstream, and goes back to the spare list.
    /// The caller has already cancelled or finished the upstream exchange.
    func finish() {
        if recordPending { record() }
        consumerID = nil
        tier = nil
        limit = nil
        serial &+= 1
        if timer != .none {
            _ = proxy.loop.cancelTimer(timer)
            timer = .none
        }
        if let client, client.context === self { client.context = nil }
        client = nil
        upstream = nil
        state = nil
        proxy.recycle(self)
    }

    // MARK: Observability

    /// An upstream attempt ended: its duration, and the error's kind if it failed.
    func upstreamEnded(error: UpstreamErrorKind?) {
        let nanoseconds = proxy.observedNow &- upstreamStartedAt
        upstreamNanoseconds = nanoseconds
        if error != nil || proxy.upstreamTransitions.anyFailing, let state {
            proxy.upstreamTransitions.record(upstream: state.config.upstreams[upstreamIndex], targetIndex: targetIndex, error: error)
        }
        guard let metrics = proxy.metrics, let state else { return }
        let slot = state.upstreamSlots[upstreamIndex]
        metrics.recordUpstream(upstreamSlot: slot, nanoseconds: nanoseconds)
        if let error { metrics.recordUpstreamError(upstreamSlot: slot, kind: error) }
    }

    /// Counts the request and writes its access log line (once, from `finish`).
    private func record() {
        recordPending = false
        let duration = proxy.observedNow &- startedAt
        if status == 0 { status = 499 }
        guard let state else { return }
        proxy.metrics?.recordRequest(routeSlot: state.routeSlots[routeIndex], method: method, status: status,
                                     nanoseconds: duration)
        guard let accessLog = proxy.accessLog else { return }
        let line = AccessLogBuffer.Line(
            method: method, routeField: state.routeFields[routeIndex],
            targetField: state.targetFields[upstreamIndex][targetIndex], status: status, bytesIn: bytesIn, bytesOut: bytesOut,
            durationNanoseconds: duration, upstreamNanoseconds: upstreamNanoseconds, consumerID: consumerID, tier: tier,
            limit: limit)
        logPath.withUnsafeBytes { accessLog.append(line, requestID: requestID, clientIP: logClient, path: $0) }
    }
}
