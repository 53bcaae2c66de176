import Glibc

/// One TCP connection to an upstream target, speaking HTTP/1.1 as a client: one exchange (request
/// and response) at a time, kept alive and reused through its `UpstreamPool`.
///
/// Thread affinity: created, used and closed on its event loop only (it is registered with that
/// loop's epoll and arms that loop's timers). Ownership: the pool owns idle connections; a checked
/// out connection is owned by the caller until its exchange ends (`upstreamResponseEnd` or
/// `upstreamFailed`) or it calls `cancel()`. A checked-out connection must get `startRequest` or
/// `cancel()`, otherwise it stays counted against the pool's `maxConnections`.
///
/// The decisions (when an exchange ends, whether the connection is reusable, what a failure means)
/// are made by `UpstreamConnectionStateMachine`; this class performs the I/O and timers.
/// Per exchange it allocates nothing in the steady state: the receive buffer, the parser's field
/// arrays and the write queue's chunks are reused.
public final class UpstreamConnection {
    public let target: UpstreamTarget
    let loop: EventLoop
    let socket: Socket
    let connectTimeoutNanoseconds: UInt64
    let responseTimeoutNanoseconds: UInt64
    let stallTimeoutNanoseconds: UInt64

    var machine: UpstreamConnectionStateMachine
    var writeQueue = WriteQueue()
    let receive: UpstreamReceiveBuffer
    var parser: HTTP1ResponseParser
    var chunked: HTTP1ChunkedDecoder
    /// The consumer of the current exchange; released when it ends.
    var handler: (any UpstreamResponseHandler)?
    /// The pool this connection counts against; `nil` once it was told the connection closed.
    var pool: UpstreamPool?

    var registration = EventLoopRegistration.none
    var interest: IOEvents = []
    var connectTimer = TimerToken.none
    var responseTimer = TimerToken.none
    /// Armed for the whole exchange; see `UpstreamClientConfiguration.readIdleTimeoutMilliseconds`.
    var stallTimer = TimerToken.none
    /// `loop.now` at the last read that returned bytes or write that took some (for the stall timeout).
    var lastProgressAt: UInt64 = 0

    /// `endRequest()` was called (or the request was started complete).
    var requestEnded = false
    /// `machine.requestWritten()` was reported for this exchange.
    var requestWrittenReported = false
    /// `writeRequestBody` returned false; `upstreamRequestWritable` is owed at the low water mark.
    var requestWriteBlocked = false
    /// Writing the request failed (the upstream closed its read side, often after answering
    /// early, e.g. 413): the rest of the request is dropped and the response is still read.
    var requestWriteFailed = false
    /// Handed out (new, or by the pool) and not yet given a request: only then `startRequest`
    /// is accepted, so a stale reference can never start a second exchange on a pooled connection.
    var awaitingRequest = true
    var responsePaused = false
    /// True while `processReceived` runs: re-entrant calls from handler callbacks only set flags.
    var processing = false
    /// Bumped whenever an exchange ends or the connection closes, so a loop that called out to a
    /// handler can tell that the exchange it was serving is gone.
    var exchangeSerial: UInt64 = 0
    public private(set) var isClosed = false

    static let connectTimerTag = 1
    static let responseTimerTag = 2
    static let stallTimerTag = 3

    /// Starts a nonblocking connect to `address` and registers with `loop`. Throws only for
    /// failures known at once (socket creation, an immediate refusal); later ones reach the
    /// handler of the request started on it.
    init(address: SocketAddress, target: UpstreamTarget, loop: EventLoop,
         configuration: UpstreamClientConfiguration, pool: UpstreamPool?) throws(HTTPClientError) {
        loop.assertOnLoop()
        self.target = target
        self.loop = loop
        self.pool = pool
        connectTimeoutNanoseconds = Self.nanoseconds(configuration.connectTimeoutMilliseconds)
        responseTimeoutNanoseconds = Self.nanoseconds(configuration.responseTimeoutMilliseconds)
        stallTimeoutNanoseconds = Self.nanoseconds(configuration.readIdleTimeoutMilliseconds)
        machine = UpstreamConnectionStateMachine(target: target, maxResponseBodyBytes: configuration.maxResponseBodyBytes)
        // Every partial line the codec re-reads must fit the receive buffer.
        var limits = configuration.limits
        limits.maxHeadBytes = min(limits.maxHeadBytes, configuration.readBufferBytes)
        limits.maxTrailerBytes = min(limits.maxTrailerBytes, configuration.readBufferBytes / 2)
        limits.maxChunkLineBytes = min(limits.maxChunkLineBytes, configuration.readBufferBytes / 2)
        parser = HTTP1ResponseParser(limits: limits)
        chunked = HTTP1ChunkedDecoder(limits: limits)
        receive = UpstreamReceiveBuffer(capacity: configuration.readBufferBytes)
        do {
            socket = try Socket.makeTCP(address.family)
        } catch {
            throw HTTPClientError(.connectFailed, target: target, errno: error.errno, call: error.call)
        }
        let connected: Bool
        do {
            try? socket.setNoDelay()
            connected = try socket.connect(to: address)
        } catch {
            socket.close()
            throw HTTPClientError(Self.connectErrorKind(error.errno), target: target, errno: error.errno, call: "connect")
        }
        do {
            if connected {
                _ = machine.connected()
                interest = [.readable]
            } else {
                interest = [.writable]
            }
            registration = try loop.register(socket.descriptor, events: interest, handler: self)
        } catch {
            socket.close()
            throw HTTPClientError(.connectFailed, target: target, errno: error.errno, call: error.call)
        }
        if !connected, connectTimeoutNanoseconds > 0 {
            connectTimer = loop.armTimer(after: connectTimeoutNanoseconds, handler: self, tag: Self.connectTimerTag)
        }
    }

    /// Where the connection is in its lifecycle.
    public var phase: UpstreamConnectionStateMachine.Phase { machine.phase }

    /// Exchanges completed on this connection (the next request is on a reused connection if > 0).
    public var completedExchanges: Int { machine.completedExchanges }

    /// Closes the connection without reporting to the handler (the consumer gave up, e.g. its
    /// downstream client went away). Idempotent.
    public func cancel() {
        loop.assertOnLoop()
        handler = nil
        tearDown()
    }

    // MARK: - Closing

    /// Reports `kind` for the current exchange (if any) and closes.
    func fail(_ kind: HTTPClientError.Kind, errno: Int32 = 0, call: StaticString = "") {
        switch machine.failed(kind, errno: errno, call: call) {
        case .close:
            tearDown()
        case .fail(let error):
            report(error)
        }
    }

    /// Closes and hands `error` to the handler of the current exchange.
    func report(_ error: HTTPClientError) {
        let handler = self.handler
        self.handler = nil
        tearDown()
        handler?.upstreamFailed(self, error: error)
    }

    /// Releases everything: timers, registration, descriptor, queued bytes; tells the pool.
    func tearDown() {
        guard !isClosed else { return }
        isClosed = true
        exchangeSerial &+= 1
        machine.close()
        cancelTimers()
        // The descriptor is closed right below and never duplicated: no epoll_ctl(DEL) needed.
        loop.deregister(registration, descriptorClosing: true)
        registration = .none
        socket.close()
        writeQueue.removeAll()
        let pool = self.pool
        self.pool = nil
        pool?.connectionClosed(self)
    }

    /// Closes a connection the pool already forgot (evicted or expired while idle).
    func closeFromPool() {
        pool = nil
        handler = nil
        tearDown()
    }

    func cancelTimers() {
        loop.cancelTimer(connectTimer)
        loop.cancelTimer(responseTimer)
        loop.cancelTimer(stallTimer)
        connectTimer = .none
        responseTimer = .none
        stallTimer = .none
    }

    /// Registers exactly the events needed now: writability while connecting or while bytes are
    /// queued, readability unless the consumer paused the response.
    func updateInterest() {
        guard !isClosed else { return }
        var wanted: IOEvents = []
        if !machine.isConnected {
            wanted = [.writable]
        } else {
            if !responsePaused { wanted.insert(.readable) }
            if !writeQueue.isEmpty { wanted.insert(.writable) }
        }
        guard wanted != interest else { return }
        do {
            try loop.modify(registration, events: wanted)
            interest = wanted
        } catch {
            fail(.reset, errno: error.errno, call: error.call)
        }
    }

    static func connectErrorKind(_ errno: Int32) -> HTTPClientError.Kind {
        switch errno {
        case ECONNREFUSED: return .connectRefused
        case ETIMEDOUT: return .connectTimeout
        default: return .connectFailed
        }
    }

    static func nanoseconds(_ milliseconds: Int64) -> UInt64 {
        milliseconds > 0 ? UInt64(milliseconds) &* 1_000_000 : 0
    }
}

extension UpstreamConnection: Equatable {
    /// Identity: two references are equal when they are the same connection.
    public static func == (lhs: UpstreamConnection, rhs: UpstreamConnection) -> Bool { lhs === rhs }
}
