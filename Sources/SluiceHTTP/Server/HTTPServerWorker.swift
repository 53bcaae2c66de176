/// One worker of an `HTTPServer`: its listening socket, its connections and the buffers they
/// share, on one event loop. Thread affinity: confined to that loop.
///
/// Accepting: the listener is registered level-triggered; at `maxConnectionsPerWorker` its
/// readable interest is removed (so the loop never spins on a full backlog) and restored when a
/// connection closes. A shared listener (`Configuration.sharedListener`) is registered with
/// EPOLLEXCLUSIVE, which cannot be modified: it is deregistered and registered again instead.
final class HTTPServerWorker: EventLoopHandler, EventLoopTimerHandler {
    struct Timeouts {
        var header: UInt64
        var idle: UInt64
        var body: UInt64
        var write: UInt64
        var linger: UInt64
    }

    let loop: EventLoop
    let configuration: HTTPServer.Configuration
    let timeouts: Timeouts
    let handler: any HTTPServerHandler
    /// Position among the server's workers (its slot in `HTTPServerShared`).
    let index: Int
    private let shared: HTTPServerShared
    private var listener: Socket?
    private var listenerRegistration = EventLoopRegistration.none
    private var acceptPaused = false
    private(set) var connections: [HTTPServerConnection] = []
    /// Reads of every connection of this loop go here first.
    let readBuffer = SharedReadBuffer()
    /// Response heads are built here (one at a time) and written or copied out at once.
    var headScratch: [UInt8] = []
    /// The connection whose streamed response head is held in `headScratch`, not yet written.
    var stagedHeadOwner: HTTPServerConnection?
    /// Chunk-size lines of chunked response bodies.
    var chunkLineScratch: [UInt8] = []
    private var deferredDrives: [HTTPServerConnection] = []
    /// `Server: sluice\r\nDate: <IMF-fixdate>\r\n`, rebuilt when the loop's date changes.
    private var serverAndDateLines: [UInt8] = []
    private var serverAndDateSecond = -2
    private(set) var draining = false
    private var drainFinished = false
    private var forceCloseTimer = TimerToken.none
    private static let retryAcceptTag = 1
    private static let forceCloseTag = 2

    init(index: Int, loop: EventLoop, configuration: HTTPServer.Configuration, listener: Socket,
         handler: any HTTPServerHandler, shared: HTTPServerShared) {
        self.index = index
        self.loop = loop
        self.configuration = configuration
        self.listener = listener
        self.handler = handler
        self.shared = shared
        timeouts = Timeouts(header: configuration.headerReadTimeout.nanoseconds,
                            idle: configuration.idleTimeout.nanoseconds,
                            body: configuration.bodyReadTimeout.nanoseconds,
                            write: configuration.writeTimeout.nanoseconds,
                            linger: configuration.lingerTimeout.nanoseconds)
        headScratch.reserveCapacity(4096)
        chunkLineScratch.reserveCapacity(32)
    }

    func start() throws(SystemError) {
        try registerListener()
    }

    private var listenerEvents: IOEvents {
        configuration.sharedListener ? [.readable, .exclusive] : .readable
    }

    private func registerListener() throws(SystemError) {
        guard let listener else { return }
        listenerRegistration = try loop.register(listener.descriptor, events: listenerEvents, handler: self)
    }

    /// Stops using the listening socket: closes it, or for a shared one, leaves the last user to close it.
    func releaseListener() {
        guard let listener else { return }
        loop.deregister(listenerRegistration)
        listenerRegistration = .none
        self.listener = nil
        if configuration.sharedListener {
            shared.releaseSharedListener(listener)
        } else {
            listener.close()
        }
    }

    /// Makes `headScratch` free for `connection`: a head another connection holds there moves
    /// into that connection's write queue first.
    func claimHeadScratch(for connection: HTTPServerConnection) {
        if let owner = stagedHeadOwner, owner !== connection { owner.spillStagedHead() }
        stagedHeadOwner = nil
    }

    /// The `Server` and `Date` field lines every response starts with (one append per response).
    func appendServerAndDate(to out: inout [UInt8]) {
        if serverAndDateSecond != loop.httpDateSecond {
            serverAndDateSecond = loop.httpDateSecond
            serverAndDateLines.removeAll(keepingCapacity: true)
            HTTPHeadWriter.appendField("Server" as StaticString, "sluice" as StaticString, to: &serverAndDateLines)
            HTTPHeadWriter.appendField("Date" as StaticString, loop.httpDate, to: &serverAndDateLines)
        }
        out.append(contentsOf: serverAndDateLines)
    }

    // MARK: Accepting

    func handleEvents(_ events: IOEvents) {
        guard let listener, !draining else { return }
        let limit = configuration.maxConnectionsPerWorker
        // Bounded batch so one busy listener cannot starve the connections of this loop.
        for _ in 0..<64 {
            guard connections.count < limit else { break }
            let socket: Socket
            do {
                guard let accepted = try listener.accept() else { return }
                socket = accepted
            } catch where error.isConnectionReset {
                continue // the client gave up while queued (ECONNABORTED): take the next one
            } catch {
                // EMFILE/ENFILE/ENOBUFS: back off briefly instead of spinning on a readable listener.
                pauseAccepting()
                _ = loop.armTimer(after: 100_000_000, handler: self, tag: Self.retryAcceptTag)
                return
            }
            try? socket.setNoDelay()
            let connection = HTTPServerConnection(worker: self, socket: socket)
            do {
                connection.registration = try loop.register(
                    socket.descriptor, events: [.readable, .writable, .readHangup, .edgeTriggered], handler: connection)
            } catch {
                socket.close()
                continue
            }
            connection.indexInWorker = connections.count
            connections.append(connection)
            handler.connectionOpened(connection)
            connection.updateDeadline()
        }
        if connections.count >= limit { pauseAccepting() }
    }

    private func pauseAccepting() {
        guard !acceptPaused else { return }
        acceptPaused = true
        if configuration.sharedListener {
            loop.deregister(listenerRegistration)
            listenerRegistration = .none
        } else {
            try? loop.modify(listenerRegistration, events: [])
        }
    }

    private func resumeAccepting() {
        guard acceptPaused, !draining else { return }
        acceptPaused = false
        if configuration.sharedListener {
            try? registerListener()
        } else {
            try? loop.modify(listenerRegistration, events: .readable)
        }
    }

    func timerFired(tag: Int) {
        switch tag {
        case Self.retryAcceptTag:
            if connections.count < configuration.maxConnectionsPerWorker { resumeAccepting() }
        default:
            // Drain deadline: whatever is still open is cut off.
            for connection in connections.reversed() { connection.close() }
            finishDrainIfDone()
        }
    }

    /// Called by a connection as it closes.
    func connectionClosed(_ connection: HTTPServerConnection) {
        let index = connection.indexInWorker
        guard index >= 0, index < connections.count, connections[index] === connection else { return }
        let last = connections.removeLast()
        if index < connections.count {
            connections[index] = last
            last.indexInWorker = index
        }
        connection.indexInWorker = -1
        if acceptPaused && connections.count < configuration.maxConnectionsPerWorker { resumeAccepting() }
        if draining { finishDrainIfDone() }
    }

    // MARK: Shared read buffer

    /// A connection must read while another one's bytes occupy `readBuffer`: run it afterwards.
    func deferDrive(_ connection: HTTPServerConnection) {
        guard !connection.drivePending else { return }
        connection.drivePending = true
        deferredDrives.append(connection)
    }

    func runDeferredDrives() {
        while let connection = deferredDrives.popLast() {
            connection.drivePending = false
            if connection.phase != .closed { connection.drive() }
        }
    }

    // MARK: Shutdown

    /// Stops accepting, closes idle connections, lets in-flight requests finish (their responses
    /// say `Connection: close`), and cuts off the rest at `deadline` nanoseconds from now.
    func beginDrain(deadline: UInt64) {
        guard !draining else { return }
        draining = true
        releaseListener()
        for connection in connections.reversed() { connection.drainRequested() }
        if connections.isEmpty {
            finishDrainIfDone()
        } else {
            forceCloseTimer = loop.armTimer(after: deadline, handler: self, tag: Self.forceCloseTag)
        }
    }

    private func finishDrainIfDone() {
        guard draining, connections.isEmpty, !drainFinished else { return }
        drainFinished = true
        loop.cancelTimer(forceCloseTimer)
        // The shared table holds this worker (and through it the loop): let go of it on its loop.
        shared.removeWorker(at: index)
        shared.workerFinished()
    }

    /// Closes an unshared listener if the server never drained (a shared one closes when its
    /// last user lets go of the `Socket`).
    deinit {
        if !configuration.sharedListener { listener?.close() }
    }
}
