import SluicePolicy
import Testing

@Suite struct RateLimitEvictionTests {
    let keys = RateLimitKeyBuilder(seedHigh: 9, seedLow: 10)
    let s = RateLimitTestClock.second
    let t0 = RateLimitTestClock.start

    @Test func aMillionKeysStayWithinTheBoundAndLiveKeysKeepTheirState() throws {
        let table = RateLimitTable(maxKeys: 100_000)
        #expect(table.capacity <= 100_000 && table.capacity >= 99_000)
        let bytesBefore = table.allocatedBytes
        #expect(bytesBefore <= 100_000 * RateLimitTable.bytesPerSlot + 64 * 256)
        #expect(RateLimitTable.bytesPerSlot <= 64)

        // A live key: exhausted, refills only in hours, so it is never idle during the test.
        let live = keys.key(scope: "user", identity: "live")
        let slow = try RateLimitRule.tokenBucket(requestsPerSecond: 1.0 / 3600, burst: 2)
        #expect(table.decide(key: live, rule: slow, now: t0) == .allowed)
        #expect(table.decide(key: live, rule: slow, now: t0) == .allowed)

        // A million one-shot clients, 1 µs apart; each is idle again 1 ms after its request.
        let fast = try RateLimitRule.tokenBucket(requestsPerSecond: 1000, burst: 1)
        var batch = RateLimitBatch(capacity: 1)
        var now = t0
        for client in 0..<1_000_000 {
            now += 1_000
            batch.removeAll()
            batch.append(key: RateLimitKey(high: UInt64(client) &* 0x9E37_79B9_7F4A_7C15,
                                           low: UInt64(client) &* 0xD6E8_FEB8_6659_FD93),
                         rule: fast, policy: .burst)
            #expect(table.decide(&batch, now: now) == .allowed)
            if client % 100_000 == 0 {
                #expect(table.decide(key: live, rule: slow, now: now) == .refused(retryAfterSeconds: 3600))
            }
        }
        #expect(table.occupiedSlots <= table.capacity)
        #expect(table.allocatedBytes == bytesBefore)
        guard case .refused = table.decide(key: live, rule: slow, now: now) else {
            Issue.record("the live key lost its state to eviction")
            return
        }
    }

    @Test func evictingAnIdleKeyChangesNoDecision() throws {
        let table = RateLimitTable(maxKeys: 8, shardCount: 1)  // one set of 8 ways
        #expect(table.capacity == 8)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 3)
        let first = keys.key(scope: "user", identity: "first")
        #expect(table.decide(key: first, rule: rule, now: t0) == .allowed)
        // 3 s later `first` is full again (idle); eight new keys push it out.
        let later = t0 + 3 * s
        for index in 0..<8 {
            #expect(table.decide(key: keys.key(scope: "user", identity: "other-\(index)"), rule: rule, now: later) == .allowed)
        }
        #expect(table.occupiedSlots == 8)
        // Absent again, `first` decides exactly as a full bucket: 3 allowed, then refused.
        for _ in 0..<3 { #expect(table.decide(key: first, rule: rule, now: later) == .allowed) }
        #expect(table.decide(key: first, rule: rule, now: later) == .refused(retryAfterSeconds: 1))
    }

    @Test func underPressureTheLeastRecentlyUsedBusyKeyGoes() throws {
        let table = RateLimitTable(maxKeys: 8, shardCount: 1)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 1)
        let busy = (0..<8).map { keys.key(scope: "user", identity: "busy-\($0)") }
        for (index, key) in busy.enumerated() {
            #expect(table.decide(key: key, rule: rule, now: t0 + UInt64(index) * 100_000_000) == .allowed)
        }
        // All 8 are busy (refilling for 1 s); a 9th key takes busy-0's slot (the oldest).
        let now = t0 + 800_000_000
        #expect(table.decide(key: keys.key(scope: "user", identity: "newcomer"), rule: rule, now: now) == .allowed)
        #expect(table.occupiedSlots == 8)
        #expect(table.decide(key: busy[0], rule: rule, now: now) == .allowed)  // forgotten: one burst again
        for key in busy.dropFirst(2) {
            #expect(table.decide(key: key, rule: rule, now: now) == .refused(retryAfterSeconds: 1))
        }
    }
}
