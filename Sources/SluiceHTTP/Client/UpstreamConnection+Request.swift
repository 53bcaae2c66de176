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

    /// Writes more request body bytes (already framed). Returns false when the connection is
    /// closed or the queue went above its high water mark: stop producing until
    /// `upstreamRequestWritable` (in the closed case, `upstreamFailed` has been or will be called).
    @discardableResult
    public func writeRequestBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        loop.assertOnLoop()
        guard !isClosed, machine.phase == .busy, !requestEnded, !requestWriteFailed else { return false }
        writeRequest(bytes, UnsafeRawBufferPointer(start: nil, count: 0))
        guard !isClosed else { return false }
        if writeQueue.isAboveHighWaterMark {
            requestWriteBlocked = true
            return false
        }
        return true
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
