/// The policy of one pool (one target, one loop), as a value: which idle connection to reuse, when
/// to open a new one, which to close. No sockets, no timers; `UpstreamPool` performs the decisions.
///
/// Guarantees:
/// - LIFO reuse: the most recently released idle connection is handed out first (its TCP state and
///   the upstream's keep-alive timer are the freshest; the oldest ones age out).
/// - At most `maxIdleConnections` idle; releasing one more closes the oldest idle connection.
/// - At most `maxConnections` open (connecting + busy + idle); beyond it a checkout is refused.
/// - An idle connection older than `idleTimeout` is never handed out.
/// `ConnectionID` is whatever identifies a connection to the caller (the connection object itself
/// in `UpstreamPool`, compared by identity). Costs: checkout and release O(1) amortised; removing an arbitrary idle connection and expiring
/// are O(maxIdleConnections), which is small.
public struct UpstreamPoolState<ConnectionID: Equatable> {
    public struct IdleEntry: Equatable {
        public var id: ConnectionID
        /// When it became idle, in the caller's monotonic milliseconds.
        public var since: Int64
    }

    public enum Checkout: Equatable {
        /// Reuse this idle connection (it is no longer idle).
        case reuse(ConnectionID)
        /// Open a new connection (already counted as open).
        case connect
        /// `maxConnections` are open.
        case exhausted
    }

    public enum Release: Equatable {
        /// Kept idle.
        case keep
        /// Kept idle, but this older idle connection must be closed to respect `maxIdleConnections`
        /// (it is already forgotten). With `maxIdleConnections == 0` it is the released one itself.
        case close(ConnectionID)
    }

    public let maxIdleConnections: Int
    public let maxConnections: Int
    public let idleTimeoutMilliseconds: Int64
    /// Idle connections, oldest first; the last one is the most recently released.
    public private(set) var idle: [IdleEntry] = []
    /// Connections counted against `maxConnections`: connecting, busy and idle.
    public private(set) var openCount = 0

    public init(maxIdleConnections: Int, maxConnections: Int, idleTimeoutMilliseconds: Int64) {
        self.maxIdleConnections = max(0, maxIdleConnections)
        self.maxConnections = max(1, maxConnections)
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        idle.reserveCapacity(self.maxIdleConnections + 1)
    }

    public init(configuration: UpstreamClientConfiguration) {
        self.init(maxIdleConnections: configuration.maxIdleConnections,
                  maxConnections: configuration.maxConnections,
                  idleTimeoutMilliseconds: configuration.idleTimeoutMilliseconds)
    }

    public var idleCount: Int { idle.count }

    /// Picks a connection for a request at time `now`. Expired idle connections are dropped first
    /// and returned in `expired` for the caller to close (empty, without allocating, in the
    /// steady state).
    public mutating func checkout(now: Int64, expired: inout [ConnectionID]) -> Checkout {
        expire(now: now, into: &expired)
        if let entry = idle.popLast() {
            return .reuse(entry.id)
        }
        guard openCount < maxConnections else { return .exhausted }
        openCount += 1
        return .connect
    }

    /// A `.connect` decision could not even start (the socket or connect call failed at once):
    /// it no longer counts as open.
    public mutating func connectAbandoned() {
        openCount = max(0, openCount - 1)
    }

    /// A connection finished an exchange cleanly and may be reused.
    public mutating func release(_ id: ConnectionID, now: Int64) -> Release {
        idle.append(IdleEntry(id: id, since: now))
        if idle.count > maxIdleConnections {
            let oldest = idle.removeFirst().id
            openCount -= 1
            return .close(oldest)
        }
        return .keep
    }

    /// A connection of this pool was closed (failure, non-reusable end, upstream closed an idle
    /// one, failed connect). Forgets it wherever it was. Returns whether it was idle.
    @discardableResult
    public mutating func closed(_ id: ConnectionID) -> Bool {
        openCount = max(0, openCount - 1)
        if let index = idle.lastIndex(where: { $0.id == id }) {
            idle.remove(at: index)
            return true
        }
        return false
    }

    /// Removes idle connections that have been idle for `idleTimeout` or longer and appends them to
    /// `expired` for the caller to close.
    public mutating func expire(now: Int64, into expired: inout [ConnectionID]) {
        guard idleTimeoutMilliseconds > 0 else { return }
        var count = 0
        while count < idle.count, now - idle[count].since >= idleTimeoutMilliseconds {
            expired.append(idle[count].id)
            count += 1
        }
        if count > 0 {
            idle.removeFirst(count)
            openCount -= count
        }
    }

    /// When the oldest idle connection expires, if any is idle and timeouts are on.
    public var nextExpiry: Int64? {
        guard idleTimeoutMilliseconds > 0, let oldest = idle.first else { return nil }
        return oldest.since + idleTimeoutMilliseconds
    }
}

extension UpstreamPoolState: Sendable where ConnectionID: Sendable {}
extension UpstreamPoolState.IdleEntry: Sendable where ConnectionID: Sendable {}
extension UpstreamPoolState.Checkout: Sendable where ConnectionID: Sendable {}
extension UpstreamPoolState.Release: Sendable where ConnectionID: Sendable {}
