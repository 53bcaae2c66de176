extension HTTPServerConnection {
    /// Consumes as much of `input` as the current state allows and returns how many bytes it used.
    /// Calls the handler; the handler may call back into the connection (respond, pause, close).
    func process(_ input: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while true {
            switch phase {
            case .closed:
                return input.count
            case .lingering:
                return input.count
            case .awaitingResponse:
                return offset
            case .idle:
                guard offset < input.count else { return offset }
                // A full write queue (a client pipelining without reading) stops parsing until it
                // drains to the low-water mark (`resumeInputAfterDrain`).
                guard outputHasRoom() else { return offset }
                startHead()
            case .head:
                let slice = UnsafeRawBufferPointer(rebasing: input[offset...])
                switch parser.parse(slice) {
                case .incomplete:
                    return offset
                case .failed(let error):
                    parser.reset() // never parse on from a failed scan (the connection ends anyway)
                    failRequest(status: error.status)
                    return input.count
                case .complete(let consumed):
                    offset += consumed
                    beginRequest(bytes: ByteView(UnsafeRawBufferPointer(rebasing: slice[0..<consumed])))
                }
            case .body:
                // RFC 9112 §9.6: after the last response (an early answer such as 401/413) no
                // further request is processed; the rest of the input is discarded. (`.idle` and
                // `.head` are never reached once `closeAfterFlush` is set: see `finishRequest`.)
                if closeAfterFlush { return input.count }
                if readPaused || !outputHasRoom() { return offset }
                guard offset < input.count else { return offset }
                let slice = UnsafeRawBufferPointer(rebasing: input[offset...])
                if bodyChunked {
                    let step: HTTP1ChunkedDecoder.Step
                    do {
                        step = try decoder.decode(slice)
                    } catch {
                        failRequest(status: error.status)
                        return input.count
                    }
                    offset += step.consumed
                    if let data = step.data, !data.isEmpty {
                        bodyReceived += data.count
                        if bodyReceived > maxRequestBodyBytes {
                            failRequest(status: 413)
                            return input.count
                        }
                        worker.handler.requestBody(ByteView(UnsafeRawBufferPointer(rebasing: slice[data])), connection: self)
                    }
                    if step.finished {
                        let trailers = step.trailers.map { ByteView(UnsafeRawBufferPointer(rebasing: slice[$0])) }
                        finishRequest(trailers: trailers)
                    } else if step.consumed == 0 {
                        return offset
                    }
                } else {
                    let count = min(bodyRemaining, slice.count)
                    bodyRemaining -= count
                    offset += count
                    worker.handler.requestBody(ByteView(UnsafeRawBufferPointer(rebasing: slice[0..<count])), connection: self)
                    if bodyRemaining == 0, phase == .body { finishRequest(trailers: nil) }
                }
            }
        }
    }

    /// The first byte of a new request arrived: forget the previous response, so an error or
    /// timeout while reading this head is answered (framed for an HTTP/1.1 non-HEAD request) and
    /// the connection closes. The parser is clean: it resets itself after a complete head, and a
    /// failed one ends the connection. The rest of the request state is set by `beginRequest`.
    func startHead() {
        phase = .head
        phaseStart = worker.loop.now
        response = .none
        responseBody = .none
        requestIsHEAD = false
        requestVersion = .http11
        bodyComplete = true
    }

    /// A complete head was parsed: set up the request and deliver it.
    func beginRequest(bytes: ByteView) {
        let head = parser.head
        isFirstRequest = false
        requestVersion = head.version
        requestIsHEAD = head.method == .HEAD
        keepAlive = head.keepAlive && !worker.draining
        requestEnded = false
        readPaused = false
        maxRequestBodyBytes = worker.configuration.maxRequestBodyBytes
        bodyReceived = 0
        switch head.framing {
        case .none, .untilClose:
            bodyChunked = false
            bodyRemaining = 0
        case .contentLength(let length):
            bodyChunked = false
            bodyRemaining = length
        case .chunked:
            bodyChunked = true
            bodyRemaining = 0
            decoder.reset()
        }
        bodyComplete = !bodyChunked && bodyRemaining == 0
        continuePending = head.expectContinue && !bodyComplete
        phase = .body
        phaseStart = worker.loop.now
        lastReadProgress = phaseStart
        worker.handler.requestHead(head, bytes: bytes, connection: self)
        guard phase == .body else { return } // closed, or answered and closing
        if bodyComplete {
            finishRequest(trailers: nil)
            return
        }
        if !bodyChunked && bodyRemaining > maxRequestBodyBytes {
            // RFC 9110 §15.5.14: the length is known up front, refuse before reading the body.
            failRequest(status: 413)
            return
        }
        if continuePending && response == .none && !readPaused { sendContinue() }
    }

    /// The request is complete: deliver its end; move on if the response has ended too.
    func finishRequest(trailers: ByteView?) {
        bodyComplete = true
        continuePending = false
        phase = .awaitingResponse
        requestEnded = true
        worker.handler.requestEnd(trailers: trailers, connection: self)
        // A response that ended the connection (closeAfterFlush) never moves on to a next request.
        if phase == .awaitingResponse && response == .ended && !closeAfterFlush { responseFinished() }
    }

    /// The server itself answers `status` (parse error, limit, timeout) and closes after it.
    func failRequest(status: Int) {
        guard phase != .closed, phase != .lingering else { return }
        keepAlive = false
        // `response` always describes this request (reset when its head started).
        if response == .none && !closeAfterFlush {
            worker.handler.errorResponse(status: status, reason: HTTPServerErrorReason.reason(for: status), connection: self)
        }
        if phase == .closed || phase == .lingering { return }
        // The error answer ended: it is the last response (closeAfterFlush), input is discarded.
        // A response already under way (or none produced) cannot be fixed: drop the connection.
        if response == .ended && closeAfterFlush { return }
        close()
    }

    /// Sends the interim `100 Continue` the client waits for before sending the body (RFC 9110 §10.1.1).
    func sendContinue() {
        continuePending = false
        guard requestVersion == .http11 else { return }
        let line: StaticString = "HTTP/1.1 100 Continue\r\n\r\n"
        line.withUTF8Buffer { writeOut(UnsafeRawBufferPointer($0)) }
    }
}
