import SluiceHTTP

extension ProxyExchange: UpstreamResponseHandler {
    func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        guard let client, upstream === connection else { return }
        responseStarted = true
        status = head.status
        if timer != .none {
            _ = proxy.loop.cancelTimer(timer)
            timer = .none
        }
        var contentLength: Int? = nil
        if case .contentLength(let length) = head.framing { contentLength = length }
        let isHEAD = method == .HEAD
        let id = requestID
        let limitPolicy = limitPolicyValue
        let limit = limitValue
        client.sendResponseHead(status: head.status, contentLength: contentLength) { fields in
            let known = head.knownFields
            var index = 0
            while index < head.fields.count {
                let field = head.fields[index]
                switch known[index] {
                case .connection, .keepAlive, .proxyConnection, .te, .trailer, .transferEncoding, .upgrade,
                     .date, .server, .xRequestID:
                    break
                case .contentLength:
                    // Re-declared by the server from the framing, except for HEAD, whose length
                    // describes the body a GET would get.
                    if isHEAD {
                        fields.add(name: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.nameRange])),
                                   value: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.valueRange])))
                    }
                case .other:
                    // The gateway's own RateLimit fields replace the upstream's (one list, not two).
                    if !limitPolicy.isEmpty, Self.isRateLimitField(field.nameRange, in: bytes) { break }
                    if !head.connectionNamesOtherFields
                        || !ConnectionFieldNames.lists(field.nameRange, fields: head.fields, known: known, in: bytes) {
                        fields.add(name: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.nameRange])),
                                   value: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.valueRange])))
                    }
                default:
                    fields.add(name: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.nameRange])),
                               value: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.valueRange])))
                }
                index += 1
            }
            fields.add("X-Request-Id", id)
            if !limitPolicy.isEmpty {
                fields.add("RateLimit-Policy", limitPolicy)
                fields.add("RateLimit", limit)
            }
        }
    }

    /// RFC 9110 §15.2: 1xx responses are forwarded (e.g. 103 Early Hints), minus hop-by-hop
    /// fields. Not 100 Continue: our server answered the client's `Expect` itself.
    func upstreamInterimResponse(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        guard let client, upstream === connection, head.status != 100 else { return }
        client.sendInterimResponse(status: head.status) { fields in
            let known = head.knownFields
            var index = 0
            while index < head.fields.count {
                let field = head.fields[index]
                switch known[index] {
                case .connection, .keepAlive, .proxyConnection, .te, .trailer, .transferEncoding, .upgrade,
                     .contentLength, .date, .server:
                    break
                default:
                    if known[index] != .other || !head.connectionNamesOtherFields
                        || !ConnectionFieldNames.lists(field.nameRange, fields: head.fields, known: known, in: bytes) {
                        fields.add(name: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.nameRange])),
                                   value: ByteView(UnsafeRawBufferPointer(rebasing: bytes[field.valueRange])))
                    }
                }
                index += 1
            }
        }
    }

    func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {
        guard let client, upstream === connection else { return }
        bytesOut &+= bytes.count
        let current = serial
        let writable = client.writeBody(bytes)
        // Writing may have closed the client (and finished this exchange).
        if !writable, current == serial, upstream === connection, !upstreamPaused {
            upstreamPaused = true
            connection.pauseResponse()
        }
    }

    func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
        guard let client, upstream === connection else { return }
        upstreamEnded(error: nil)
        // Detach first: ending the response may start the client's next (pipelined) request,
        // which may reuse this very exchange.
        finish()
        client.endResponse()
    }

    func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
        guard upstream === connection else { return }
        upstream = nil
        failed(error)
    }

    func upstreamRequestWritable(_ connection: UpstreamConnection) {
        guard clientReadingPaused, upstream === connection, let client else { return }
        clientReadingPaused = false
        client.resumeReading()
    }

    /// The exchange failed before (or after) the response head reached the client.
    func failed(_ error: HTTPClientError) {
        guard let client else { return finish() }
        if responseStarted {
            // Part of a response went out: never let it look complete.
            upstreamEnded(error: UpstreamErrorKind(error.kind))
            finish()
            client.close()
            return
        }
        if !retried, bodyless, method.isIdempotent, error.connectionReused, error.isRetrySafe {
            // The stale keep-alive race: other idle connections to this target are likely stale
            // too, so drop them and retry once on a fresh connection.
            retried = true
            state?.pools[upstreamIndex][targetIndex]?.closeIdle()
            return sendHead()
        }
        // (A stale keep-alive connection retried above is not counted as the upstream's failure.)
        upstreamEnded(error: UpstreamErrorKind(error.kind))
        switch error.kind {
        case .connectTimeout, .responseTimeout, .readTimeout:
            fail(status: 504, reason: "upstream timeout")
        case .poolExhausted:
            fail(status: 503, reason: "upstream overloaded")
        case .connectRefused, .connectFailed, .reset, .writeTimeout, .malformedResponse, .bodyTooLarge:
            fail(status: 502, reason: "upstream failed")
        }
    }

    /// Whether the field name `bytes[name]` is `RateLimit` or `RateLimit-Policy` (any case).
    static func isRateLimitField(_ name: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Bool {
        (name.count == 9 && HTTPKnownField.matches(bytes, name.lowerBound, "ratelimit"))
            || (name.count == 16 && HTTPKnownField.matches(bytes, name.lowerBound, "ratelimit-policy"))
    }
}
