/// The keep-alive connections of one event loop to one upstream target.
///
/// `checkout()` hands out the most recently released idle connection, or starts a new one; a
/// connection comes back by itself when an exchange ends cleanly (see
/// `UpstreamConnectionStateMachine`), and is closed otherwise. Policy (LIFO, max idle, max
/// connections, idle timeout) is `UpstreamPoolState`.
///
/// Liveness: an idle connection stays registered for readability, so one the upstream closed (or
/// that received unexpected bytes) is closed and forgotten as soon as the loop sees it, never
/// handed out. A close that races a checkout within the same loop iteration is still possible: the
/// resulting `.reset` before any response byte on a reused connection is `isRetrySafe` for an
/// idempotent request.
/// Idle timeout: one loop timer per pool, armed for the oldest idle connection's expiry.
/// Thread affinity: its event loop only.
public final class UpstreamPool: EventLoopTimerHandler {
    public let target: UpstreamTarget
    public let address: SocketAddress
    let loop: EventLoop
    let configuration: UpstreamClientConfiguration
    private var state: UpstreamPoolState<UpstreamConnection>
    private var expired: [UpstreamConnection] = []
    private var expiryTimer = TimerToken.none

    /// A pool for `target` on `loop` (call on the loop). Throws when `target.host` is not a numeric address.
    public init(target: UpstreamTarget, loop: EventLoop, configuration: UpstreamClientConfiguration = UpstreamClientConfiguration())
        throws(SocketAddressError) {
        self.target = target
        self.address = try SocketAddress(parsing: target.description)
        self.loop = loop
        self.configuration = configuration
        state = UpstreamPoolState(configuration: configuration)
    }

    /// The target left the configuration: connections that finish their exchange are closed
    /// instead of kept (set by `UpstreamPools.closeIdle(except:)`, cleared if the target returns).
    public var isDraining = false

    /// Connections counted against `maxConnections` (connecting, busy, idle).
    public var openCount: Int { state.openCount }
    /// Idle connections waiting for reuse.
    public var idleCount: Int { state.idleCount }
    /// Checkouts that opened a new connection, since the pool was created (for metrics).
    public private(set) var connectsStarted = 0
    /// Checkouts that reused an idle connection, since the pool was created (for metrics).
    public private(set) var reuses = 0

    /// A connection ready for `startRequest`: a reused idle one, or a new one (its connect may still
    /// be in progress; the request is written when it completes, failures reach the request's handler).
    /// Throws `.poolExhausted` at `maxConnections`, or a connect failure known at once.
    public func checkout() throws(HTTPClientError) -> UpstreamConnection {
        loop.assertOnLoop()
        let decision = state.checkout(now: nowMilliseconds, expired: &expired)
        closeExpired()
        switch decision {
        case .reuse(let connection):
            reuses &+= 1
            connection.awaitingRequest = true
            return connection
        case .exhausted:
            throw HTTPClientError(.poolExhausted, target: target)
        case .connect:
            connectsStarted &+= 1
            do {
                return try UpstreamConnection(address: address, target: target, loop: loop,
                                              configuration: configuration, pool: self)
            } catch {
                state.connectAbandoned()
                throw error
            }
        }
    }

    /// Closes every idle connection (shutdown, or the target left the configuration). Busy ones
    /// finish their exchange and are then closed or kept by the usual rules.
    public func closeIdle() {
        loop.assertOnLoop()
        state.expire(now: .max, into: &expired)
        closeExpired()
        // The armed timer would keep this pool (and through it the loop) alive.
        loop.cancelTimer(expiryTimer)
        expiryTimer = .none
    }

    public func timerFired(tag: Int) {
        expiryTimer = .none
        state.expire(now: nowMilliseconds, into: &expired)
        closeExpired()
        armExpiryTimer()
    }

    /// A connection of this pool ended an exchange cleanly and is reusable.
    func release(_ connection: UpstreamConnection) {
        switch state.release(connection, now: nowMilliseconds) {
        case .keep:
            break
        case .close(let evicted):
            evicted.closeFromPool()
        }
        armExpiryTimer()
    }

    /// A connection of this pool closed (for any reason other than the pool closing it).
    func connectionClosed(_ connection: UpstreamConnection) {
        state.closed(connection)
    }

    private func closeExpired() {
        guard !expired.isEmpty else { return }
        for connection in expired { connection.closeFromPool() }
        expired.removeAll(keepingCapacity: true)
    }

    private func armExpiryTimer() {
        guard expiryTimer == .none, let deadline = state.nextExpiry else { return }
        let nanoseconds = UInt64(max(0, deadline)) &* 1_000_000
        expiryTimer = loop.armTimer(at: nanoseconds, handler: self, tag: 0)
    }

    private var nowMilliseconds: Int64 { Int64(loop.now / 1_000_000) }
}
