extension UpstreamConnection {
    /// Stops reading the response (the consumer's downstream write queue is above its high water
    /// mark). Bytes already received stay buffered; the read-idle timeout does not run meanwhile.
    public func pauseResponse() {
        loop.assertOnLoop()
        guard !isClosed, !responsePaused else { return }
        responsePaused = true
        updateInterest()
    }

    /// Resumes reading after `pauseResponse()`: buffered bytes are delivered first (unless called
    /// from inside a handler callback, where delivery simply continues after the callback returns).
    public func resumeResponse() {
        loop.assertOnLoop()
        guard !isClosed, responsePaused else { return }
        responsePaused = false
        // The pause was the consumer's, not the upstream's: the read-idle timeout restarts now.
        lastProgressAt = loop.now
        if !processing, receive.unreadCount > 0 {
            processReceived()
        }
        updateInterest()
    }

    /// Whether the consumer paused the response.
    public var isResponsePaused: Bool { responsePaused }

    /// Reads once (level-triggered: the loop calls again while bytes remain) and processes what arrived.
    func readResponse() {
        guard !responsePaused, !isClosed else { return }
        if receive.isFull {
            // Cannot happen: heads are bounded below the buffer size and bodies are consumed as
            // they arrive. Refuse rather than spin.
            fail(.malformedResponse(HTTPParseError(.headTooLarge, at: receive.capacity)))
            return
        }
        let result: IOResult<Int>
        do {
            result = try receive.read(from: socket)
        } catch {
            fail(.reset, errno: error.errno, call: error.call)
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            receivedEOF()
        case .processed:
            guard machine.receivedBytes() else {
                // Bytes on an idle connection: the upstream is broken or answering something we
                // never sent. Never reuse it.
                tearDown()
                return
            }
            lastProgressAt = loop.now
            if responseTimer != .none {
                loop.cancelTimer(responseTimer)
                responseTimer = .none
            }
            processReceived()
        }
    }

    private func receivedEOF() {
        switch machine.receivedEOF() {
        case .close:
            tearDown()
        case .finish(let end):
            complete(end, trailers: nil)
        case .fail(let error):
            report(error)
        }
    }

    /// Delivers as much of the buffered response as the framing and the consumer allow.
    func processReceived() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        let serial = exchangeSerial
        while !responsePaused, serial == exchangeSerial, receive.unreadCount > 0,
              let progress = machine.responseProgress {
            let progressed: Bool
            switch progress {
            case .awaitingHead:
                progressed = processHead(serial)
            case .contentLength, .untilClose:
                progressed = processBody(serial)
            case .chunked:
                progressed = processChunked(serial)
            }
            if !progressed { return }
        }
    }

    /// Parses a response head at the front of the buffer. Returns false when more bytes are needed
    /// or the exchange ended.
    private func processHead(_ serial: UInt64) -> Bool {
        guard let method = machine.requestMethod else { return false }
        let input = receive.unread
        switch parser.parse(input, requestMethod: method) {
        case .incomplete:
            return false
        case .failed(let error):
            fail(.malformedResponse(error))
            return false
        case .complete(let consumed):
            let bytes = UnsafeRawBufferPointer(rebasing: input[0..<consumed])
            // The bytes stay in place until the next read, so consuming first is safe and keeps
            // the buffer consistent if the handler re-enters.
            receive.consume(consumed)
            switch machine.receivedHead(parser.head) {
            case .skipInterim:
                handler?.upstreamInterimResponse(self, head: parser.head, bytes: bytes)
                parser.reset()
                return true
            case .deliver(let end):
                chunked.reset()
                handler?.upstreamResponseHead(self, head: parser.head, bytes: bytes)
                if let end, serial == exchangeSerial {
                    complete(end, trailers: nil)
                }
                return true
            case .fail(let error):
                report(error)
                return false
            }
        }
    }

    /// Delivers Content-Length or close-delimited body bytes.
    private func processBody(_ serial: UInt64) -> Bool {
        let input = receive.unread
        switch machine.receivedBody(input.count) {
        case .deliver(let count, let end):
            receive.consume(count)
            if count > 0 {
                handler?.upstreamResponseBody(self, bytes: UnsafeRawBufferPointer(rebasing: input[0..<count]))
            }
            if let end, serial == exchangeSerial {
                complete(end, trailers: nil)
            }
            return count > 0
        case .fail(let error):
            report(error)
            return false
        }
    }

    /// Decodes one chunked step: delivers its data, or ends the body with its trailers.
    private func processChunked(_ serial: UInt64) -> Bool {
        let input = receive.unread
        let step: HTTP1ChunkedDecoder.Step
        do {
            step = try chunked.decode(input)
        } catch {
            fail(.malformedResponse(error))
            return false
        }
        receive.consume(step.consumed)
        if let data = step.data {
            switch machine.receivedBody(data.count) {
            case .deliver:
                handler?.upstreamResponseBody(self, bytes: UnsafeRawBufferPointer(rebasing: input[data]))
            case .fail(let error):
                report(error)
                return false
            }
        }
        if step.finished, serial == exchangeSerial {
            let trailers = step.trailers.map { UnsafeRawBufferPointer(rebasing: input[$0]) }
            let end = machine.chunkedBodyFinished(extraBytes: receive.unreadCount > 0)
            complete(end, trailers: trailers)
            return true
        }
        return step.consumed > 0
    }

    /// Ends the exchange successfully: the connection goes back to its pool or is closed, then the
    /// handler learns the end.
    ///
    /// Bytes left in the receive buffer when a response ends (after a bodiless response such as
    /// HEAD, 204 or 304, after `Content-Length: 0`, or past any other framed end) belong to no
    /// request: the connection is closed, never pooled, so they can never be read as the next
    /// request's response. This one check covers every framing.
    func complete(_ end: UpstreamConnectionStateMachine.EndAction, trailers: UnsafeRawBufferPointer?) {
        let handler = self.handler
        self.handler = nil
        exchangeSerial &+= 1
        loop.cancelTimer(responseTimer)
        loop.cancelTimer(stallTimer)
        responseTimer = .none
        stallTimer = .none
        responsePaused = false
        switch end {
        case .release(reusable: true) where receive.unreadCount > 0 || pool?.isDraining == true:
            // Bytes after the response would be read as the next one; a draining pool's target
            // left the configuration. Either way the connection is not reused.
            tearDown()
        case .release(reusable: true):
            updateInterest()
            if let pool {
                pool.release(self)
            } else {
                awaitingRequest = true
            }
        case .release(reusable: false):
            tearDown()
        }
        handler?.upstreamResponseEnd(self, trailers: trailers)
    }
}
