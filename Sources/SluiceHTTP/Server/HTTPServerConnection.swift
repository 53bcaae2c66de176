/// One accepted client connection of an `HTTPServer` worker: reads and parses requests, hands
/// them to the loop's `HTTPServerHandler`, and writes the handler's responses.
///
/// Thread affinity: confined to its worker's event loop; every method must be called there.
/// Memory: an idle keep-alive connection holds this object, its socket, its parser's (reused)
/// field arrays and nothing else — reads go through the loop's `SharedReadBuffer` and only an
/// unprocessed remainder (partial head, pipelined request, paused body) is copied into `pending`.
///
/// Ordering: one request at a time. The next pipelined request waits in `pending` (and the socket
/// is not read) until the current response has ended; it is then parsed without another read.
public final class HTTPServerConnection: EventLoopHandler, EventLoopTimerHandler {
    enum Phase {
        /// Waiting for the first byte of a request (a fresh or kept-alive connection).
        case idle
        /// Some head bytes are in; the head is not complete.
        case head
        /// The head was delivered; body bytes are being delivered.
        case body
        /// The whole request was delivered; waiting for the response to end.
        case awaitingResponse
        /// The last response was written and the write side shut down; unread input is drained
        /// (and discarded) until the client closes or `lingerTimeout`, so it sees our response, not a reset.
        case lingering
        case closed
    }

    enum ResponseState { case none, streaming, ended }

    enum ResponseBody {
        case none
        case contentLength(remaining: Int)
        case chunked
        case untilClose
    }

    let worker: HTTPServerWorker
    let socket: Socket
    var registration = EventLoopRegistration.none
    /// Position in `worker.connections` (swap-remove).
    var indexInWorker = -1

    var parser: HTTP1RequestParser
    var decoder: HTTP1ChunkedDecoder
    /// Unprocessed input: always starts at a request boundary while `phase` is `.idle` or `.head`.
    var pending: [UInt8] = []
    var writeQueue: WriteQueue
    var phase = Phase.idle

    // The current request.
    var requestVersion = HTTPVersion.http11
    var requestIsHEAD = false
    var keepAlive = true
    var bodyChunked = false
    var bodyRemaining = 0
    var bodyReceived = 0
    /// The whole request (head, body, trailers) has been received.
    var bodyComplete = false
    /// `requestEnd` was delivered.
    var requestEnded = false
    var continuePending = false
    var readPaused = false
    /// Body bytes the handler accepts for this request; set it in `requestHead` to override the default.
    public var maxRequestBodyBytes: Int
    /// Per-connection state for the handler (e.g. the upstream exchange of the current request).
    public var context: AnyObject?

    // The current response.
    var response = ResponseState.none
    var responseBody = ResponseBody.none
    var closeAfterFlush = false
    var writabilityWanted = false

    // I/O bookkeeping.
    /// The socket may have unread bytes (edge-triggered: cleared after a short read or EAGAIN).
    var socketReadable = false
    /// EPOLLRDHUP was seen: the client shut down its write side (its end of stream is queued).
    var peerSentEndOfStream = false
    var isDriving = false
    var needsDrive = false
    var drivePending = false
    var isFirstRequest = true
    /// A zero-delay timer will drive again (see `scheduleDrive`).
    var scheduledDriveArmed = false
    /// Input parsing stopped because the write queue was above its high-water mark.
    var inputWaitsForOutput = false
    var cachedPeerAddress: SocketAddress?

    // Timeouts: one wheel timer per connection, re-armed lazily (see +Timeouts).
    var timer = TimerToken.none
    var timerDeadline: UInt64 = 0
    var phaseStart: UInt64
    /// Last read that returned bytes (the body timeout measures pauses between reads).
    var lastReadProgress: UInt64
    /// Last write that moved bytes out of the write queue, or when the queue last became non-empty
    /// (the write timeout measures a stuck queue; reads never extend it).
    var lastWriteProgress: UInt64

    init(worker: HTTPServerWorker, socket: Socket) {
        self.worker = worker
        self.socket = socket
        parser = HTTP1RequestParser(limits: worker.configuration.limits)
        decoder = HTTP1ChunkedDecoder(limits: worker.configuration.limits)
        writeQueue = WriteQueue()
        maxRequestBodyBytes = worker.configuration.maxRequestBodyBytes
        phaseStart = worker.loop.now
        lastReadProgress = phaseStart
        lastWriteProgress = phaseStart
    }

    /// The client's address (read once with getpeername, then cached), e.g. for X-Forwarded-For.
    /// Nil if the peer is already gone.
    public var peerAddress: SocketAddress? {
        if let cachedPeerAddress { return cachedPeerAddress }
        guard phase != .closed, let address = try? socket.peerAddress() else { return nil }
        cachedPeerAddress = address
        return address
    }

    /// The event loop this connection lives on.
    public var loop: EventLoop { worker.loop }

    /// The request being answered is a HEAD request (responses carry no body).
    public var isHEADRequest: Bool { requestIsHEAD }

    /// The connection is open (not closed and not closing after its last response).
    public var isOpen: Bool { phase != .closed && phase != .lingering }

    /// Whether more response body may be written without growing the write queue past its high-water
    /// mark. When false, stop producing; `connectionWritable` is called once it drains.
    public var isWritable: Bool { !writeQueue.isAboveHighWaterMark }

    // MARK: Events

    public func handleEvents(_ events: IOEvents) {
        if events.contains(.error) {
            return close() // a pending socket error (reset): nothing more can be delivered
        }
        if events.contains(.writable) && !writeQueue.isEmpty {
            flushQueue()
            if phase == .closed { return }
        }
        if events.contains(.hangup) && phase == .awaitingResponse {
            return close() // both directions are gone: the response can never arrive
        }
        if events.contains(.readHangup) { peerSentEndOfStream = true }
        if events.contains(.readable) || events.contains(.readHangup) || events.contains(.hangup) {
            socketReadable = true
            drive()
        }
    }

    public func timerFired(tag: Int) {
        if tag == Self.scheduledDriveTag {
            scheduledDriveArmed = false
            if phase != .closed { drive() }
            return
        }
        timer = .none
        timerDeadline = 0
        deadlineCheck()
    }

    // MARK: Reading

    /// Processes buffered input and reads the socket for as long as the connection can consume
    /// input. Re-entrant calls (from handler callbacks) are folded into the running one.
    func drive() {
        if isDriving {
            needsDrive = true
            return
        }
        isDriving = true
        repeat {
            needsDrive = false
            driveOnce()
        } while needsDrive && phase != .closed
        isDriving = false
        if phase == .closed {
            pending = []
        } else {
            updateDeadline()
        }
        if !worker.readBuffer.isBusy { worker.runDeferredDrives() }
    }

    /// Whether input may be parsed (and the socket read) now. Not while the write queue is over
    /// its high-water mark (`outputHasRoom`): a client that pipelines requests without reading the
    /// responses would otherwise grow the queue without bound.
    private var canConsumeInput: Bool {
        switch phase {
        case .idle, .head: return outputHasRoom()
        case .lingering: return true
        case .body: return !readPaused && outputHasRoom()
        case .awaitingResponse, .closed: return false
        }
    }

    /// False from the write that took the write queue above its high-water mark until a flush
    /// drains it to the low-water mark (`writabilityWanted`); input then waits (`inputWaitsForOutput`)
    /// and is resumed by `resumeInputAfterDrain`.
    @inline(__always)
    func outputHasRoom() -> Bool {
        guard writabilityWanted else { return true }
        inputWaitsForOutput = true
        return false
    }

    /// Full-buffer reads one drive may do (16 × 64 KiB) before yielding to the loop's other
    /// connections; the rest is read from a zero-delay timer (`scheduleDrive`).
    static let readsPerDrive = 16
    static let scheduledDriveTag = 1

    private func driveOnce() {
        var fullReads = 0
        while phase != .closed {
            if !pending.isEmpty && canConsumeInput {
                let before = pending.count
                let consumed = pending.withUnsafeBytes { process($0) }
                if phase == .closed { return }
                if consumed == before {
                    pending.removeAll()
                } else if consumed > 0 {
                    pending.removeFirst(consumed)
                }
                // Blocked (response pending, paused) or every byte used: decide below whether to read.
                if !canConsumeInput { return }
                if consumed > 0 && !pending.isEmpty { continue }
            }
            guard canConsumeInput, socketReadable else { return }
            if worker.readBuffer.isBusy {
                // Another connection's bytes are in the shared buffer (we were called from its callback).
                worker.deferDrive(self)
                return
            }
            let result: IOResult<Int>
            do {
                result = try worker.readBuffer.read(from: socket) { bytes in
                    if pending.isEmpty {
                        let consumed = process(bytes)
                        if phase != .closed && consumed < bytes.count {
                            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
                        }
                    } else {
                        pending.append(contentsOf: bytes)
                    }
                }
            } catch {
                return close()
            }
            switch result {
            case .wouldBlock:
                socketReadable = false
                return
            case .processed(0):
                return peerClosed()
            case .processed(let count):
                lastReadProgress = worker.loop.now
                // Edge-triggered: a short read means the socket is drained; don't pay for an EAGAIN
                // read. Unless the peer's FIN came with that edge: then the 0-byte read is still due.
                if count < worker.readBuffer.capacity && !peerSentEndOfStream {
                    socketReadable = false
                } else if count == worker.readBuffer.capacity {
                    fullReads += 1
                    if fullReads >= Self.readsPerDrive { return scheduleDrive() }
                }
            }
        }
    }

    /// Drives again from a zero-delay timer, on a fresh stack after the loop's other ready events:
    /// when one drive's read budget is spent (`socketReadable` stays set; edge-triggered epoll won't
    /// report it again), and to resume input after the write queue drained.
    func scheduleDrive() {
        guard !scheduledDriveArmed else { return }
        scheduledDriveArmed = true
        _ = worker.loop.armTimer(after: 0, handler: self, tag: Self.scheduledDriveTag)
    }

    /// The client closed its write side.
    private func peerClosed() {
        socketReadable = false
        switch phase {
        case .idle, .lingering, .head, .body:
            // Nothing in flight, or an incomplete request that can never complete.
            close()
        case .awaitingResponse:
            // Finish the response, then close.
            keepAlive = false
        case .closed:
            break
        }
    }

    // MARK: Flow control

    /// Makes the current response the last one on this connection: its head (if not yet sent)
    /// says `Connection: close` and the connection closes after it.
    public func closeAfterThisResponse() {
        keepAlive = false
    }

    /// The connection will carry another request after the current response.
    public var willKeepAlive: Bool { keepAlive && !worker.draining }

    /// Stops delivering request body bytes (backpressure); buffered bytes stay buffered.
    public func pauseReading() {
        readPaused = true
    }

    /// Resumes delivering request body bytes. For `Expect: 100-continue`, this is when the client
    /// is told to send the body (if no response was started).
    public func resumeReading() {
        guard readPaused else { return }
        readPaused = false
        if continuePending && response == .none && phase == .body { sendContinue() }
        drive()
    }
}
