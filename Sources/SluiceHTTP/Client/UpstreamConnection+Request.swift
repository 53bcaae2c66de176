extension UpstreamConnection {
    /// Starts an exchange: queues the serialized request head (and optionally the first or whole
    /// body) and writes it as soon as the connection is up. The response goes to `handler`.
    ///
    /// - Parameters:
    ///   - head: the request line and fields, ending with the empty line (e.g. built with
    ///     `HTTPHeadWriter`). Copied only if the socket does not take it at once.
    ///   - method: the request method; decides whether the response can have a body (HEAD).
    ///   - idempotent: whether the request may be replayed on a failure (`HTTPClientError.isRetrySafe`).
    ///   - body: body bytes already framed for the wire (the caller chooses Content-Length or chunked).
    ///   - endOfRequest: nothing follows `body`; otherwise stream the rest with `writeRequestBody`
    ///     and finish with `endRequest()`.
    /// - Returns: false when the connection cannot take a request (busy, closed, or not handed out
    ///   by `UpstreamPool.checkout()`); nothing was written and `handler` will not be called.
    ///   An immediate write failure other than a reset is reported to `handler` before this returns.
    @discardableResult
    public func startRequest(
        head: UnsafeRawBufferPointer, method: HTTPMethod, idempotent: Bool,
        body: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        endOfRequest: Bool = true, handler: any UpstreamResponseHandler
    ) -> Bool {
        loop.assertOnLoop()
        guard !isClosed, awaitingRequest, machine.startRequest(method: method, idempotent: idempotent) else { return false }
        awaitingRequest = false
        self.handler = handler
        requestEnded = endOfRequest
        requestWrittenReported = false
        requestWriteBlocked = false
        requestWriteFailed = false
        responsePaused = false
        // Second guard: a connection with unread bytes is never pooled (see `complete`), so the
        // buffer is empty here; stale bytes must never be parsed as this request's response.
        assert(receive.unreadCount == 0, "a reused upstream connection still held response bytes")
        receive.clear()
        parser.reset()
        chunked.reset()
        lastProgressAt = loop.now
        if stallTimeoutNanoseconds > 0 {
            stallTimer = loop.armTimer(after: stallTimeoutNanoseconds, handler: self, tag: Self.stallTimerTag)
        }
        writeRequest(head, body)
        return true
    }

    /// `startRequest` with the head in an array.
    @discardableResult
    public func startRequest(
        head: [UInt8], method: HTTPMethod, idempotent: Bool, endOfRequest: Bool = true,
        handler: any UpstreamResponseHandler
    ) -> Bool {
        head.withUnsafeBytes {
            startRequest(head: $0, method: method, idempotent: idempotent, endOfRequest: endOfRequest, handler: handler)
        }
    }

    /// Writes more request body bytes (already framed).
    ///
    /// Returns false when the bytes were not accepted or the producer must stop. Then check
    /// `isAcceptingRequestBody`:
    /// - true: the queue went above its high water mark (the bytes were queued); stop producing
    ///   until `upstreamRequestWritable`.
    /// - false: the request body is no longer wanted and `upstreamRequestWritable` will never come.
    ///   Either the connection is closed (`upstreamFailed` has been called, or the consumer
    ///   cancelled), or the upstream stopped reading the request (a write failed with a reset,
    ///   typically after an early answer such as 413): the bytes were dropped and the exchange
    ///   still ends with exactly one `upstreamResponseEnd` or `upstreamFailed`, once the response
    ///   (or the connection's reset, or the response timeout) is read.
    @discardableResult
    public func writeRequestBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        loop.assertOnLoop()
        guard !isClosed, machine.phase == .busy, !requestEnded, !requestWriteFailed else { return false }
        writeRequest(bytes, UnsafeRawBufferPointer(start: nil, count: 0))
        guard !isClosed, !requestWriteFailed else { return false }
        if writeQueue.isAboveHighWaterMark {
            requestWriteBlocked = true
            return false
        }
        return true
    }

    /// Whether `writeRequestBody` can still take bytes for the current exchange: false once the
    /// request ended, the upstream stopped reading it, the exchange ended, or the connection closed.
    /// After `writeRequestBody` returned false, `upstreamRequestWritable` follows only if this is true.
    public var isAcceptingRequestBody: Bool {
        !isClosed && machine.phase == .busy && !requestEnded && !requestWriteFailed
    }

    /// The request is complete (its final framing bytes were passed to `writeRequestBody`).
    public func endRequest() {
        loop.assertOnLoop()
        guard !isClosed, machine.phase == .busy, !requestEnded else { return }
        requestEnded = true
        if requestWriteFailed { return }
        requestFullyWritten()
    }

    /// Writes `first` and `second` after anything queued (zero-copy `writev`); what the socket does
    /// not take is queued and written on writability. While connecting, everything is queued.
    func writeRequest(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        if !machine.isConnected {
            writeQueue.append(first)
            writeQueue.append(second)
            return
        }
        // Time spent with nothing to write (the consumer producing the body) is not a stall.
        if writeQueue.isEmpty { lastProgressAt = loop.now }
        let offered = writeQueue.pendingBytes &+ first.count &+ second.count
        do {
            _ = try writeQueue.write(to: socket, first, second)
        } catch {
            writeFailed(error)
            return
        }
        if writeQueue.pendingBytes < offered { lastProgressAt = loop.now }
        afterWrite()
    }

    /// Writes queued request bytes on writability.
    func flushRequest() {
        guard !writeQueue.isEmpty else {
            afterWrite()
            return
        }
        let queued = writeQueue.pendingBytes
        do {
            _ = try writeQueue.flush(to: socket)
        } catch {
            writeFailed(error)
            // A producer blocked on the high water mark is owed `upstreamRequestWritable`: it
            // comes now, and its next `writeRequestBody` returns false with
            // `isAcceptingRequestBody` false, so it stops instead of waiting for nothing.
            if !isClosed, requestWriteBlocked {
                requestWriteBlocked = false
                handler?.upstreamRequestWritable(self)
            }
            return
        }
        if writeQueue.pendingBytes < queued { lastProgressAt = loop.now }
        afterWrite()
    }

    /// The upstream stopped reading the request. If it is answering (or may answer, e.g. 413
    /// before closing) the response is still read to its end; the connection is never reused
    /// (the request was not fully written) and the response timeout guards the wait.
    private func writeFailed(_ error: SystemError) {
        guard machine.phase == .busy, error.isConnectionReset else {
            fail(.reset, errno: error.errno, call: error.call)
            return
        }
        requestWriteFailed = true
        writeQueue.removeAll()
        if !machine.responseStarted, responseTimer == .none, responseTimeoutNanoseconds > 0 {
            responseTimer = loop.armTimer(after: responseTimeoutNanoseconds, handler: self, tag: Self.responseTimerTag)
        }
        // Readability stays registered: what the upstream sent before closing is read on the next
        // loop iteration, and its EOF or reset ends the exchange.
        updateInterest()
    }

    private func afterWrite() {
        updateInterest()
        guard !isClosed else { return }
        if writeQueue.isEmpty { requestFullyWritten() }
        if requestWriteBlocked, writeQueue.isAtOrBelowLowWaterMark {
            requestWriteBlocked = false
            handler?.upstreamRequestWritable(self)
        }
    }
}
