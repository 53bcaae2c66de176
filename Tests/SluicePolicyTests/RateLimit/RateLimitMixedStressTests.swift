import SluicePolicy
import Synchronization
import Testing

/// Hierarchical decisions under contention (from the review of issue #6): no over-admission with
/// windows and buckets mixed, also with a tiny table forcing eviction of in-flight slots.
@Suite struct RateLimitMixedStressTests {
    let keys = RateLimitKeyBuilder(seedHigh: 17, seedLow: 18)
    let t0 = RateLimitTestClock.start

    @Test(arguments: [4096, 16])
    func mixedWindowsAndBucketsNeverOverAdmit(maxKeys: Int) throws {
        let table = RateLimitTable(maxKeys: maxKeys, shardCount: 1)
        let userWindow = try RateLimitRule.slidingWindow(limit: 30, windowSeconds: 60)
        let userBucket = try RateLimitRule.tokenBucket(requestsPerSecond: 0.001, burst: 40)
        let orgWindow = try RateLimitRule.slidingWindow(limit: 70, windowSeconds: 60)
        let org = keys.key(scope: "org", identity: "acme")
        let users = (0..<4).map { keys.key(scope: "user", identity: "u\($0)") }
        let perUser = Mutex<[Int]>([0, 0, 0, 0])
        let total = Atomic<Int>(0)
        runOnThreads(8) { thread in
            var batch = RateLimitBatch()
            for round in 0..<400 {
                let u = (thread + round) % 4
                batch.removeAll()
                batch.append(key: users[u], rule: userBucket, policy: .burst)
                batch.append(key: users[u], rule: userWindow, policy: .minute)
                batch.append(key: org, rule: orgWindow, policy: .orgMinute)
                if table.decide(&batch, now: t0 + 30 * RateLimitTestClock.second) == .allowed {
                    perUser.withLock { $0[u] += 1 }
                    total.add(1, ordering: .relaxed)
                }
            }
        }
        for count in perUser.withLock({ $0 }) { #expect(count <= 30) }
        #expect(total.load(ordering: .relaxed) <= 70)
        if maxKeys == 4096 { #expect(total.load(ordering: .relaxed) == 70) }
    }
}
