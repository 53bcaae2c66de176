extension HTTPServerConnection {
    // MARK: Whole responses

    /// Bodies up to this size are copied next to the head and sent as one buffer.
    static let coalescedBodyLimit = 2048

    /// Sends a complete response (head and `body`) with one `writev`, then ends it.
    /// `fields` adds the handler's fields; the server adds Server, Date, Content-Length, Connection.
    /// A HEAD request gets the head only; 1xx/204/304 never carry a body.
    public func sendResponse(status: Int, body: UnsafeRawBufferPointer,
                             fields: (inout HTTPResponseFields) -> Void = { _ in }) {
        guard response == .none, phase != .closed, phase != .lingering else { return }
        let framing = buildHead(status: status, contentLength: body.count, fields: fields)
        let sendsBody: Bool
        if case .contentLength = framing { sendsBody = true } else { sendsBody = false }
        if sendsBody && body.count <= Self.coalescedBodyLimit {
            // A small body is copied behind the head: one contiguous send(2) is cheaper in the
            // kernel than a two-segment writev.
            worker.headScratch.append(contentsOf: body)
            withHeadScratchCopy { writeOut($0) }
        } else {
            withHeadScratchCopy { head in
                writeOut(head, sendsBody ? body : UnsafeRawBufferPointer(start: nil, count: 0))
            }
        }
        responseDidEnd()
    }

    public func sendResponse(status: Int, body: StaticString, fields: (inout HTTPResponseFields) -> Void = { _ in }) {
        body.withUTF8Buffer { sendResponse(status: status, body: UnsafeRawBufferPointer($0), fields: fields) }
    }

    public func sendResponse(status: Int, body: [UInt8], fields: (inout HTTPResponseFields) -> Void = { _ in }) {
        body.withUnsafeBytes { sendResponse(status: status, body: $0, fields: fields) }
    }

    public func sendResponse(status: Int, body: ByteView, fields: (inout HTTPResponseFields) -> Void = { _ in }) {
        sendResponse(status: status, body: body.bytes, fields: fields)
    }

    /// The server's error answer: `{"error":"<reason>"}` as JSON. By default the connection closes
    /// after it (the right thing after a framing or limit error: the byte stream can't be trusted).
    /// `keepAlive: true` is for answers about a well-framed request (no route, upstream failed):
    /// the connection then stays open under the usual rules (it still closes if the request body
    /// was not fully received, or the client asked for close). `extraFields` lets a proxy add e.g.
    /// `X-Request-Id`; `requestID`, if given, is added to the body.
    /// The length of the body `sendErrorResponse` writes for `reason` and `requestID`, for byte
    /// counts (access logs) kept in step with the format here.
    public static func errorBodyLength(reason: StaticString, requestID: [UInt8]?) -> Int {
        // {"error":"<reason>"}  or  {"error":"<reason>","request_id":"<id>"}
        var length = 12 + reason.utf8CodeUnitCount
        if let requestID { length += 16 + requestID.reduce(0) { $0 + (isKeptInErrorBody($1) ? 1 : 0) } }
        return length
    }

    /// Request id bytes the JSON body can carry without escaping.
    @inline(__always)
    static func isKeptInErrorBody(_ byte: UInt8) -> Bool {
        byte != 0x22 && byte != 0x5C && byte >= 0x20
    }

    public func sendErrorResponse(status: Int, reason: StaticString, requestID: String? = nil, keepAlive: Bool = false,
                                  extraFields: (inout HTTPResponseFields) -> Void = { _ in }) {
        if !keepAlive { self.keepAlive = false }
        var body: [UInt8] = []
        body.reserveCapacity(64)
        body.append(contentsOf: #"{"error":""#.utf8)
        reason.withUTF8Buffer { body.append(contentsOf: $0) }
        if let requestID {
            body.append(contentsOf: #"","request_id":""#.utf8)
            for byte in requestID.utf8 where Self.isKeptInErrorBody(byte) { body.append(byte) }
        }
        body.append(contentsOf: #""}"#.utf8)
        sendResponse(status: status, body: body) { fields in
            fields.add("Content-Type", "application/json")
            extraFields(&fields)
        }
    }

    // MARK: Streaming responses

    /// Starts a streamed response. With `contentLength` the body is exactly that many bytes;
    /// without it, HTTP/1.1 gets `Transfer-Encoding: chunked` and HTTP/1.0 a close-delimited body.
    /// The head is held and sent with the first body bytes, `endResponse()` or `flush()` (call
    /// `flush()` if the body may take a while). Holding it costs no allocation: it stays in the
    /// loop's head buffer unless another connection needs that buffer first.
    public func sendResponseHead(status: Int, contentLength: Int? = nil,
                                 fields: (inout HTTPResponseFields) -> Void = { _ in }) {
        guard response == .none, phase != .closed, phase != .lingering else { return }
        responseBody = buildHead(status: status, contentLength: contentLength, fields: fields)
        response = .streaming
        worker.stagedHeadOwner = self
    }

    /// Sends an interim (1xx) response head now, e.g. one relayed from an upstream. Not 101.
    public func sendInterimResponse(status: Int, fields: (inout HTTPResponseFields) -> Void = { _ in }) {
        guard response == .none, status >= 100, status < 200, status != 101, requestVersion == .http11 else { return }
        if status == 100 { continuePending = false }
        worker.claimHeadScratch(for: self)
        var out = HTTPResponseFields(bytes: [])
        swap(&out.bytes, &worker.headScratch)
        out.bytes.removeAll(keepingCapacity: true)
        HTTPHeadWriter.appendStatusLine(status, to: &out.bytes)
        fields(&out)
        HTTPHeadWriter.appendEndOfHead(to: &out.bytes)
        swap(&out.bytes, &worker.headScratch)
        withHeadScratchCopy { writeOut($0) }
    }

    /// Writes response body bytes (framed as a chunk when chunked). Returns `isWritable`: when
    /// false, stop producing until `connectionWritable`. Bytes beyond a declared Content-Length,
    /// and any body of a HEAD/204/304 response, are dropped.
    @discardableResult
    public func writeBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard response == .streaming, bytes.count > 0 else { return isWritable }
        switch responseBody {
        case .none:
            break
        case .contentLength(let remaining):
            let count = min(remaining, bytes.count)
            responseBody = .contentLength(remaining: remaining - count)
            withStagedHead { head in writeOut(head, UnsafeRawBufferPointer(rebasing: bytes[0..<count])) }
        case .untilClose:
            withStagedHead { head in writeOut(head, bytes) }
        case .chunked:
            worker.chunkLineScratch.removeAll(keepingCapacity: true)
            HTTPHeadWriter.appendChunkSizeLine(bytes.count, to: &worker.chunkLineScratch)
            let crlf: StaticString = "\r\n"
            withUnsafeTemporaryAllocation(byteCount: worker.chunkLineScratch.count, alignment: 1) { line in
                worker.chunkLineScratch.withUnsafeBytes { line.copyMemory(from: $0) }
                withStagedHead { head in
                    crlf.withUTF8Buffer { writeOut(head, UnsafeRawBufferPointer(line), bytes, UnsafeRawBufferPointer($0)) }
                }
            }
        }
        return isWritable
    }

    public func writeBody(_ bytes: ByteView) -> Bool { writeBody(bytes.bytes) }

    public func writeBody(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { writeBody($0) } }

    /// Ends a streamed response (writes the last chunk when chunked). A Content-Length response that
    /// is short of its declared length cannot be completed: the connection is closed instead.
    public func endResponse() {
        guard response == .streaming else { return }
        switch responseBody {
        case .chunked:
            let last: StaticString = "0\r\n\r\n"
            withStagedHead { head in last.withUTF8Buffer { writeOut(head, UnsafeRawBufferPointer($0)) } }
        case .contentLength(let remaining) where remaining > 0:
            return close()
        case .untilClose:
            keepAlive = false
            flush()
        default:
            flush()
        }
        responseDidEnd()
    }

    /// Sends whatever is held or queued (e.g. a response head waiting for its body) now.
    public func flush() {
        guard phase != .closed else { return }
        if worker.stagedHeadOwner === self {
            withStagedHead { writeOut($0) }
        } else if !writeQueue.isEmpty {
            flushQueue()
        }
    }

    // MARK: Internals

    /// Writes the response head into `worker.headScratch` and returns how the body is framed.
    func buildHead(status: Int, contentLength: Int?, fields: (inout HTTPResponseFields) -> Void) -> ResponseBody {
        worker.claimHeadScratch(for: self)
        var out = HTTPResponseFields(bytes: [])
        swap(&out.bytes, &worker.headScratch)
        out.bytes.removeAll(keepingCapacity: true)
        HTTPHeadWriter.appendStatusLine(status, to: &out.bytes)
        worker.appendServerAndDate(to: &out.bytes)
        fields(&out)
        let framing: ResponseBody
        if status < 200 || status == 204 || status == 304 {
            framing = .none // RFC 9110 §6.4.1: never a body
        } else if let contentLength {
            HTTPHeadWriter.appendContentLength(contentLength, to: &out.bytes)
            framing = requestIsHEAD ? .none : .contentLength(remaining: contentLength)
        } else if requestIsHEAD {
            framing = .none
        } else if requestVersion == .http11 {
            HTTPHeadWriter.appendField("Transfer-Encoding" as StaticString, "chunked" as StaticString, to: &out.bytes)
            framing = .chunked
        } else {
            keepAlive = false // RFC 9112 §6.3: an HTTP/1.0 client can only see the end as a close
            framing = .untilClose
        }
        // Draining, or an answer before the request body was read (unread bytes can't be told
        // apart from a next request): this is the last response on the connection.
        if worker.draining || !bodyComplete { keepAlive = false }
        if !keepAlive {
            HTTPHeadWriter.appendField("Connection" as StaticString, "close" as StaticString, to: &out.bytes)
        } else if requestVersion == .http10 {
            HTTPHeadWriter.appendField("Connection" as StaticString, "keep-alive" as StaticString, to: &out.bytes)
        }
        HTTPHeadWriter.appendEndOfHead(to: &out.bytes)
        swap(&out.bytes, &worker.headScratch)
        return framing
    }

    /// Calls `body` with a stack copy of `worker.headScratch`, so writing it (which may close the
    /// connection and call the handler, which may build another head) never overlaps an access to
    /// the shared buffer. A head is a few hundred bytes: the copy costs less than the system call.
    func withHeadScratchCopy(_ body: (UnsafeRawBufferPointer) -> Void) {
        let count = worker.headScratch.count
        withUnsafeTemporaryAllocation(byteCount: count, alignment: 16) { copy in
            worker.headScratch.withUnsafeBytes { copy.copyMemory(from: $0) }
            body(UnsafeRawBufferPointer(copy))
        }
    }

    /// Calls `body` with this connection's held response head (then no longer held), or with an
    /// empty buffer when it was already sent or moved to the write queue.
    func withStagedHead(_ body: (UnsafeRawBufferPointer) -> Void) {
        guard worker.stagedHeadOwner === self else {
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        worker.stagedHeadOwner = nil
        withHeadScratchCopy(body)
    }

    /// Another connection needs the head buffer: queue (copy) this connection's held head.
    func spillStagedHead() {
        guard worker.stagedHeadOwner === self else { return }
        worker.stagedHeadOwner = nil
        worker.headScratch.withUnsafeBytes { writeQueue.append($0) }
    }

    /// Writes queued bytes plus the given ones; leftovers stay queued and EPOLLOUT (registered
    /// edge-triggered from the start) resumes the flush.
    func writeOut(_ first: UnsafeRawBufferPointer,
                  _ second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                  _ third: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                  _ fourth: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) {
        guard phase != .closed, phase != .lingering else { return }
        let queuedBefore = writeQueue.pendingBytes
        do {
            if try !writeQueue.write(to: socket, first, second, third, fourth) {
                // The write clock starts when the queue becomes non-empty and moves only when bytes
                // actually left it.
                if queuedBefore == 0 || writeQueue.pendingBytes < queuedBefore + first.count + second.count + third.count + fourth.count {
                    lastWriteProgress = worker.loop.now
                }
                if writeQueue.isAboveHighWaterMark { writabilityWanted = true }
                if !isDriving { updateDeadline() }
            } else if writabilityWanted {
                // Everything went out (the writer knows: `isWritable` is true again).
                writabilityWanted = false
                resumeInputAfterDrain()
            }
        } catch {
            close()
        }
    }

    /// Input stopped while the write queue was above its high-water mark and it has drained:
    /// resume (buffered pipelined requests first, then the socket) from a fresh stack.
    func resumeInputAfterDrain() {
        guard inputWaitsForOutput, phase != .closed else { return }
        inputWaitsForOutput = false
        scheduleDrive()
    }

    func flushQueue() {
        do {
            let queuedBefore = writeQueue.pendingBytes
            let drained = try writeQueue.flush(to: socket)
            if writeQueue.pendingBytes < queuedBefore { lastWriteProgress = worker.loop.now }
            if drained && closeAfterFlush { return startLingering() }
            if writabilityWanted && writeQueue.isAtOrBelowLowWaterMark {
                writabilityWanted = false
                worker.handler.connectionWritable(self)
                resumeInputAfterDrain()
            }
            if phase != .closed && !isDriving { updateDeadline() }
        } catch {
            close()
        }
    }

    /// The response is complete (as far as the handler is concerned).
    func responseDidEnd() {
        response = .ended
        if !keepAlive || !bodyComplete {
            // Unread body bytes (an early answer such as 413/401) can't be told apart from the next request.
            closeAfterResponse()
        } else if requestEnded {
            responseFinished()
        }
        // Otherwise `finishRequest` moves on once the body has been read.
    }

    /// Request and response are both complete on a keep-alive connection: wait for the next one.
    func responseFinished() {
        context = nil
        phase = .idle
        phaseStart = worker.loop.now
        drive() // parse a pipelined request already buffered, or read (folded into a running drive)
    }

    func closeAfterResponse() {
        guard !closeAfterFlush else { return }
        closeAfterFlush = true
        if phase != .closed && writeQueue.isEmpty { startLingering() }
    }

    /// Shuts down our write side and drains input until the client closes (or `lingerTimeout`).
    func startLingering() {
        guard phase != .closed, phase != .lingering else { return }
        socket.shutdown(.write)
        phase = .lingering
        phaseStart = worker.loop.now
        socketReadable = true
        drive()
    }

    /// Closes the connection now (no more reads or writes) and tells the handler. Idempotent.
    public func close() {
        guard phase != .closed else { return }
        phase = .closed
        if worker.stagedHeadOwner === self { worker.stagedHeadOwner = nil }
        worker.loop.deregister(registration, descriptorClosing: true)
        if timerDeadline != 0 { worker.loop.cancelTimer(timer) }
        timerDeadline = 0
        socket.close()
        writeQueue.removeAll()
        if !isDriving { pending = [] }
        worker.connectionClosed(self)
        worker.handler.connectionClosed(self)
        context = nil
    }

    /// Graceful shutdown reached this connection: idle ones close now, busy ones after their response.
    func drainRequested() {
        switch phase {
        case .idle where pending.isEmpty:
            close()
        case .closed, .lingering:
            break
        default:
            keepAlive = false
        }
    }
}
