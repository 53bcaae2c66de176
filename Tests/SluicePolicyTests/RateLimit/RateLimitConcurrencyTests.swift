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
}
