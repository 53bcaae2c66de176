import Testing
@testable import SluiceHTTP

@Suite struct UpstreamPoolStateTests {
    @Test func reusesIdleConnectionsLastInFirstOut() {
        var pool = UpstreamPoolState<Int>(maxIdleConnections: 4, maxConnections: 10, idleTimeoutMilliseconds: 1_000)
        var expired: [Int] = []
        #expect(pool.checkout(now: 0, expired: &expired) == .connect)
        #expect(pool.checkout(now: 0, expired: &expired) == .connect)
        #expect(pool.openCount == 2)
        #expect(pool.release(1, now: 10) == .keep)
        #expect(pool.release(2, now: 20) == .keep)
        #expect(pool.checkout(now: 30, expired: &expired) == .reuse(2))
        #expect(pool.checkout(now: 30, expired: &expired) == .reuse(1))
        #expect(pool.checkout(now: 30, expired: &expired) == .connect)
        #expect(pool.openCount == 3)
        #expect(expired.isEmpty)
    }

    @Test func refusesBeyondMaxConnections() {
        var pool = UpstreamPoolState<Int>(maxIdleConnections: 1, maxConnections: 2, idleTimeoutMilliseconds: 0)
        var expired: [Int] = []
        #expect(pool.checkout(now: 0, expired: &expired) == .connect)
        #expect(pool.checkout(now: 0, expired: &expired) == .connect)
        #expect(pool.checkout(now: 0, expired: &expired) == .exhausted)
        pool.closed(1)
        #expect(pool.checkout(now: 0, expired: &expired) == .connect)
    }

    @Test func closesTheOldestIdleBeyondMaxIdle() {
        var pool = UpstreamPoolState<Int>(maxIdleConnections: 2, maxConnections: 10, idleTimeoutMilliseconds: 0)
        var expired: [Int] = []
        for _ in 0..<3 { _ = pool.checkout(now: 0, expired: &expired) }
        #expect(pool.release(1, now: 1) == .keep)
        #expect(pool.release(2, now: 2) == .keep)
        #expect(pool.release(3, now: 3) == .close(1))
        #expect(pool.idle.map(\.id) == [2, 3])
        #expect(pool.openCount == 2)
    }

    @Test func maxIdleZeroClosesEveryReleasedConnection() {
        var pool = UpstreamPoolState<Int>(maxIdleConnections: 0, maxConnections: 10, idleTimeoutMilliseconds: 0)
        var expired: [Int] = []
        _ = pool.checkout(now: 0, expired: &expired)
        #expect(pool.release(7, now: 1) == .close(7))
        #expect(pool.openCount == 0)
    }

    @Test func expiresIdleConnectionsAfterTheIdleTimeout() {
        var pool = UpstreamPoolState<Int>(maxIdleConnections: 4, maxConnections: 10, idleTimeoutMilliseconds: 100)
        var expired: [Int] = []
        for _ in 0..<3 { _ = pool.checkout(now: 0, expired: &expired) }
        _ = pool.release(1, now: 0)
        _ = pool.release(2, now: 50)
        _ = pool.release(3, now: 90)
        #expect(pool.nextExpiry == 100)
        pool.expire(now: 149, into: &expired)
        #expect(expired == [1])
        #expect(pool.nextExpiry == 150)
        expired.removeAll()
        // A checkout never hands out an expired connection: all three have expired by 200.
        #expect(pool.checkout(now: 200, expired: &expired) == .connect)
        #expect(expired == [2, 3])
        #expect(pool.openCount == 1)
        #expect(pool.nextExpiry == nil)
    }

    @Test func closedIdleConnectionIsForgotten() {
        var pool = UpstreamPoolState<Int>(maxIdleConnections: 4, maxConnections: 10, idleTimeoutMilliseconds: 0)
        var expired: [Int] = []
        _ = pool.checkout(now: 0, expired: &expired)
        _ = pool.checkout(now: 0, expired: &expired)
        _ = pool.release(1, now: 0)
        _ = pool.release(2, now: 0)
        #expect(pool.closed(2) == true)
        #expect(pool.openCount == 1)
        #expect(pool.checkout(now: 0, expired: &expired) == .reuse(1))
        #expect(pool.closed(1) == false) // busy when closed
        #expect(pool.openCount == 0)
    }
}
