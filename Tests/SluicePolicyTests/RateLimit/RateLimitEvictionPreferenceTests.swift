import Testing
@testable import SluicePolicy

/// Eviction under churn (from the review of issue #6): the cheapest state to lose goes first.
@Suite struct RateLimitEvictionPreferenceTests {
    let keys = RateLimitKeyBuilder(seedHigh: 9, seedLow: 10)
    let s = RateLimitTestClock.second
    let t0 = RateLimitTestClock.start

    // A consumer's exhausted daily window must not be given away to one-shot keys when a set is
    // full of non-idle slots (anonymous addresses on a slow tier): token buckets go first.
    @Test func busyDailyWindowSurvivesKeyChurn() throws {
        let table = RateLimitTable(maxKeys: 8, shardCount: 1)  // one set of 8 ways
        let daily = try RateLimitRule.slidingWindow(limit: 3, windowSeconds: 86_400)
        let consumer = keys.key(scope: "user", identity: "paying-customer")
        for _ in 0..<3 { #expect(table.decide(key: consumer, rule: daily, now: t0, policy: .daily) == .allowed) }
        #expect(table.decide(key: consumer, rule: daily, now: t0, policy: .daily) != .allowed)
        // 16 one-shot anonymous clients on a 1-per-100 s tier (not idle for 100 s).
        let anonymous = try RateLimitRule.tokenBucket(requestsPerSecond: 0.01, burst: 1)
        for index in 0..<16 {
            _ = table.decide(key: keys.key(scope: "ip", identity: "2001:db8::\(index)"), rule: anonymous, now: t0 + s)
        }
        #expect(table.decide(key: consumer, rule: daily, now: t0 + 2 * s, policy: .daily) != .allowed,
                "daily quota came back after eviction")
    }
}
