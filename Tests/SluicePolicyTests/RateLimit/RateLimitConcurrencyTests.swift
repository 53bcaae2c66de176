import SluicePolicy
import Synchronization
import Testing

/// Real threads hammering shared keys with a frozen clock: nothing may be over-admitted.
@Suite struct RateLimitConcurrencyTests {
    let keys = RateLimitKeyBuilder(seedHigh: 7, seedLow: 8)
    let t0 = RateLimitTestClock.start
    let threads = 8

    @Test func oneHotKeyAdmitsExactlyBurst() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 1000)
        let key = keys.key(scope: "user", identity: "hot")
        let admitted = Atomic<Int>(0)
        runOnThreads(threads) { _ in
            var batch = RateLimitBatch()
            batch.append(key: key, rule: rule, policy: .burst)
            for _ in 0..<5_000 where table.decide(&batch, now: t0) == .allowed {
                admitted.add(1, ordering: .relaxed)
            }
        }
        #expect(admitted.load(ordering: .relaxed) == 1000)
    }

    @Test func oneHotWindowAdmitsExactlyItsLimit() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.slidingWindow(limit: 777, windowSeconds: 60)
        let key = keys.key(scope: "user", identity: "hot-window")
        let admitted = Atomic<Int>(0)
        runOnThreads(threads) { _ in
            var batch = RateLimitBatch()
            batch.append(key: key, rule: rule, policy: .minute)
            for _ in 0..<3_000 where table.decide(&batch, now: t0) == .allowed {
                admitted.add(1, ordering: .relaxed)
            }
        }
        #expect(admitted.load(ordering: .relaxed) == 777)
    }

    @Test func hierarchicalNeverOverAdmitsTheOrg() throws {
        let table = RateLimitTable(maxKeys: 4096)
        let userRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 50)
        let orgRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 100)
        let org = keys.key(scope: "org", identity: "acme")
        let users = (0..<threads * 4).map { keys.key(scope: "user", identity: "member-\($0)") }
        let admitted = Atomic<Int>(0)
        runOnThreads(threads) { thread in
            var batch = RateLimitBatch()
            for round in 0..<200 {
                batch.removeAll()
                batch.append(key: users[thread * 4 + round % 4], rule: userRule, policy: .burst)
                batch.append(key: org, rule: orgRule, policy: .orgBurst)
                if table.decide(&batch, now: t0) == .allowed { admitted.add(1, ordering: .relaxed) }
            }
        }
        #expect(admitted.load(ordering: .relaxed) == 100)
    }

    @Test func hierarchicalUserRefusalsUnderConcurrencyLeaveTheOrgBudget() throws {
        let table = RateLimitTable(maxKeys: 4096)
        let userRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 5)
        let orgRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 1000)
        let org = keys.key(scope: "org", identity: "big")
        let users = (0..<4).map { keys.key(scope: "user", identity: "few-\($0)") }
        let admitted = Atomic<Int>(0)
        runOnThreads(threads) { thread in
            var batch = RateLimitBatch()
            for round in 0..<200 {
                batch.removeAll()
                batch.append(key: org, rule: orgRule, policy: .orgBurst)  // committed first, given back
                batch.append(key: users[(thread + round) % 4], rule: userRule, policy: .burst)
                if table.decide(&batch, now: t0) == .allowed { admitted.add(1, ordering: .relaxed) }
            }
        }
        #expect(admitted.load(ordering: .relaxed) == 20)  // 4 users × 5, never more
        var probe = RateLimitBatch()
        probe.append(key: org, rule: orgRule, policy: .orgBurst)
        #expect(table.decide(&probe, now: t0) == .allowed)
        #expect(probe.remaining(at: 0) == 1000 - 20 - 1)  // 1,580 refusals consumed nothing
    }

    /// Slots are taken from under threads that still hold their old owner's state: the
    /// generation check must keep that stale state out of the new owner's slot. Every one-shot
    /// key must be allowed (a fresh bucket); a stale write would make some of them refuse.
    @Test func churnInATinyTableStaysBoundedAndNeverMixesKeys() throws {
        let table = RateLimitTable(maxKeys: 64, shardCount: 2)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 3)
        let hot = keys.key(scope: "user", identity: "hot-in-churn")
        let hotAdmitted = Atomic<Int>(0)
        let oneShotRefused = Atomic<Int>(0)
        runOnThreads(threads) { thread in
            var batch = RateLimitBatch()
            for round in 0..<2_000 {
                batch.removeAll()
                let isHot = round % 4 == 0
                let key = isHot ? hot : RateLimitKey(high: UInt64(thread) << 32 | UInt64(round), low: UInt64(round) << 1)
                batch.append(key: key, rule: rule, policy: .burst)
                let allowed = table.decide(&batch, now: t0) == .allowed
                if isHot && allowed { hotAdmitted.add(1, ordering: .relaxed) }
                if !isHot && !allowed { oneShotRefused.add(1, ordering: .relaxed) }
            }
        }
        #expect(table.occupiedSlots <= table.capacity)
        #expect(oneShotRefused.load(ordering: .relaxed) == 0)
        // The busy hot key may be evicted under this pressure and regain a burst each time, but
        // it had at least its own burst and far fewer than its 4,000 attempts.
        let admitted = hotAdmitted.load(ordering: .relaxed)
        #expect(admitted >= 3 && admitted < 4_000)
    }
}
