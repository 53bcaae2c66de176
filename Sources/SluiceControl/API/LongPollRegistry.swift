import SluiceHTTP

/// The parked `GET /v1/dataplane/snapshot` requests of one event loop.
///
/// Thread affinity: confined to its loop (created there by the handler factory; reached from other
/// threads only through `LongPollBroadcaster`, which hops onto the loop with `inbox.execute`).
/// A parked request costs its connection object, one entry here and one wheel timer — no thread.
public final class LongPollRegistry {
    let loop: EventLoop
    /// Answers a parked poll once something newer than `after` exists (nil: nothing newer yet).
    let snapshotResponse: (Int) -> APIResponse?
    let send: (APIResponse, HTTPServerConnection) -> Void
    /// Told the count after every change (`sluice_control_longpoll_waiters`).
    let metrics: ControlMetrics?
    private var parked: [ObjectIdentifier: ParkedPoll] = [:] {
        didSet { metrics?.setWaiters(loop: loop.index, count: parked.count) }
    }

    init(loop: EventLoop, snapshotResponse: @escaping (Int) -> APIResponse?,
         send: @escaping (APIResponse, HTTPServerConnection) -> Void, metrics: ControlMetrics? = nil) {
        self.loop = loop
        self.snapshotResponse = snapshotResponse
        self.send = send
        self.metrics = metrics
    }

    /// Requests currently parked on this loop.
    public var count: Int { parked.count }

    /// Parks the connection's request until `wake` finds a version newer than `after`, or until
    /// `waitNanoseconds` pass (then 304).
    func park(_ connection: HTTPServerConnection, after: Int, waitNanoseconds: UInt64) {
        loop.assertOnLoop()
        let poll = ParkedPoll(connection: connection, after: after, registry: self)
        poll.timer = loop.armTimer(after: waitNanoseconds, handler: poll)
        parked[ObjectIdentifier(connection)] = poll
    }

    /// A version was published: answer every parked poll that now has something newer.
    func wake() {
        loop.assertOnLoop()
        guard !parked.isEmpty else { return }
        // Usually every poll waits for the same `after`; ask the store once per distinct value.
        var answers: [Int: APIResponse?] = [:]
        for (key, poll) in parked {
            let answer: APIResponse?
            if let cached = answers[poll.after] {
                answer = cached
            } else {
                answer = snapshotResponse(poll.after)
                answers[poll.after] = answer
            }
            guard let answer else { continue }
            parked[key] = nil
            loop.cancelTimer(poll.timer)
            send(answer, poll.connection)
        }
    }

    /// Shutting down: answer every parked poll with 304 now, so the drain does not wait for them.
    func releaseAll() {
        loop.assertOnLoop()
        let polls = parked.values
        parked.removeAll()
        for poll in polls {
            loop.cancelTimer(poll.timer)
            poll.connection.closeAfterThisResponse()
            send(APIResponse(status: 304, headers: [("Cache-Control", "no-store")]), poll.connection)
        }
    }

    /// The wait ran out: 304 Not Modified.
    func expired(_ poll: ParkedPoll) {
        guard parked.removeValue(forKey: ObjectIdentifier(poll.connection)) != nil else { return }
        send(APIResponse(status: 304, headers: [("Cache-Control", "no-store")]), poll.connection)
    }

    /// The connection closed while parked: forget it.
    func remove(_ connection: HTTPServerConnection) {
        guard let poll = parked.removeValue(forKey: ObjectIdentifier(connection)) else { return }
        loop.cancelTimer(poll.timer)
    }
}

/// One parked poll: its connection, what it has, and its timeout timer.
final class ParkedPoll: EventLoopTimerHandler {
    let connection: HTTPServerConnection
    let after: Int
    unowned let registry: LongPollRegistry
    var timer = TimerToken.none

    init(connection: HTTPServerConnection, after: Int, registry: LongPollRegistry) {
        self.connection = connection
        self.after = after
        self.registry = registry
    }

    func timerFired(tag: Int) {
        registry.expired(self)
    }
}
