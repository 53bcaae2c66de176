import SluicePolicy
import Testing

@Suite struct RateLimitTokenBucketTests {
    let keys = RateLimitKeyBuilder(seedHigh: 1, seedLow: 2)
    let s = RateLimitTestClock.second
    let ms = RateLimitTestClock.millisecond
    let t0 = RateLimitTestClock.start

    @Test func exactlyBurstThenTheRate() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 5, burst: 10)
        let key = keys.key(scope: "user", identity: "alice")
        for _ in 0..<10 { #expect(table.decide(key: key, rule: rule, now: t0) == .allowed) }
        #expect(table.decide(key: key, rule: rule, now: t0) == .refused(retryAfterSeconds: 1))
        #expect(table.decide(key: key, rule: rule, now: t0 + 199 * ms) == .refused(retryAfterSeconds: 1))
        // Then one every 200 ms, never two.
        for step in 1...50 {
            let now = t0 + UInt64(step) * 200 * ms
            #expect(table.decide(key: key, rule: rule, now: now) == .allowed)
            #expect(table.decide(key: key, rule: rule, now: now) == .refused(retryAfterSeconds: 1))
        }
    }

    @Test func fractionalRate() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 0.5, burst: 1)
        let key = keys.key(scope: "user", identity: "slow")
        #expect(table.decide(key: key, rule: rule, now: t0) == .allowed)
        #expect(table.decide(key: key, rule: rule, now: t0) == .refused(retryAfterSeconds: 2))
        #expect(table.decide(key: key, rule: rule, now: t0 + 1_500 * ms) == .refused(retryAfterSeconds: 1))
        #expect(table.decide(key: key, rule: rule, now: t0 + 2 * s - 1) == .refused(retryAfterSeconds: 1))
        #expect(table.decide(key: key, rule: rule, now: t0 + 2 * s) == .allowed)
    }

    @Test func remainingAndResetForHeaders() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 5, burst: 10)
        var batch = RateLimitBatch()
        batch.append(key: keys.key(scope: "user", identity: "bob"), rule: rule, policy: .burst)
        #expect(table.decide(&batch, now: t0) == .allowed)
        #expect(batch.remaining(at: 0) == 9)
        #expect(batch.resetSeconds(at: 0) == 1)  // 200 ms until full again
        for _ in 0..<9 { _ = table.decide(&batch, now: t0) }
        #expect(batch.remaining(at: 0) == 0)
        #expect(batch.resetSeconds(at: 0) == 2)
        #expect(table.decide(&batch, now: t0) == .refused(retryAfterSeconds: 1))
        #expect(batch.isRefusing(at: 0))
        #expect(batch.remaining(at: 0) == 0)
        #expect(rule.policyWindowSeconds == 2)
    }

    @Test func changedParametersApplyToTheExistingBucket() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let key = keys.key(scope: "user", identity: "carol")
        let small = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 2)
        let large = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 5)
        #expect(table.decide(key: key, rule: small, now: t0) == .allowed)
        #expect(table.decide(key: key, rule: small, now: t0) == .allowed)
        #expect(table.decide(key: key, rule: small, now: t0) == .refused(retryAfterSeconds: 1))
        // Upgraded tier: the same bucket (2 used) now holds 5.
        for _ in 0..<3 { #expect(table.decide(key: key, rule: large, now: t0) == .allowed) }
        #expect(table.decide(key: key, rule: large, now: t0) == .refused(retryAfterSeconds: 1))
        // Downgraded again: 5 used of 2, so the wait is 4 s, not 1 s (the bucket was kept).
        #expect(table.decide(key: key, rule: small, now: t0) == .refused(retryAfterSeconds: 4))
    }

    @Test func shapeModeDelaysThenRefusesPastMaxDelay() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 10, burst: 1)
        let key = keys.key(scope: "route:upload", identity: "dave")
        let maxDelay = 300 * ms
        #expect(table.decide(key: key, rule: rule, now: t0, maxDelay: maxDelay) == .allowed)
        #expect(table.decide(key: key, rule: rule, now: t0, maxDelay: maxDelay) == .delayed(nanoseconds: 100 * ms))
        #expect(table.decide(key: key, rule: rule, now: t0, maxDelay: maxDelay) == .delayed(nanoseconds: 200 * ms))
        #expect(table.decide(key: key, rule: rule, now: t0, maxDelay: maxDelay) == .delayed(nanoseconds: 300 * ms))
        #expect(table.decide(key: key, rule: rule, now: t0, maxDelay: maxDelay) == .refused(retryAfterSeconds: 1))
        // The queue drains at the rate: 100 ms later one more fits at the maximum delay.
        #expect(table.decide(key: key, rule: rule, now: t0 + 100 * ms, maxDelay: maxDelay)
                == .delayed(nanoseconds: 300 * ms))
        // Windows never delay.
        let window = try RateLimitRule.slidingWindow(limit: 1, windowSeconds: 60)
        #expect(table.decide(key: key, rule: window, now: t0, maxDelay: maxDelay) == .allowed)
        guard case .refused = table.decide(key: key, rule: window, now: t0, maxDelay: maxDelay) else {
            Issue.record("a window must refuse, not delay")
            return
        }
    }

    @Test func rulesValidateTheirParameters() {
        #expect(throws: RateLimitRuleError.requestsPerSecondOutOfRange(0)) {
            try RateLimitRule.tokenBucket(requestsPerSecond: 0, burst: 1)
        }
        #expect(throws: RateLimitRuleError.requestsPerSecondOutOfRange(.infinity)) {
            try RateLimitRule.tokenBucket(requestsPerSecond: .infinity, burst: 1)
        }
        #expect(throws: RateLimitRuleError.burstOutOfRange(0)) {
            try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 0)
        }
        #expect(throws: RateLimitRuleError.windowLimitOutOfRange(0)) {
            try RateLimitRule.slidingWindow(limit: 0, windowSeconds: 60)
        }
        #expect(throws: RateLimitRuleError.windowSecondsOutOfRange(0)) {
            try RateLimitRule.slidingWindow(limit: 5, windowSeconds: 0)
        }
    }

    @Test func tableCapacityAndPolicyWindows() throws {
        #expect(RateLimitTable(maxKeys: 100_000).capacity == 99_840)  // 64 shards × 195 sets × 8 ways
        #expect(RateLimitTable(maxKeys: 5).capacity == 8)              // at least one set
        #expect(try RateLimitRule.tokenBucket(requestsPerSecond: 0.5, burst: 1).policyWindowSeconds == 2)
        #expect(try RateLimitRule.tokenBucket(requestsPerSecond: 3, burst: 10).policyWindowSeconds == 4)
        #expect(try RateLimitRule.tokenBucket(requestsPerSecond: 100, burst: 100).policyWindowSeconds == 1)
        #expect(try RateLimitRule.slidingWindow(limit: 600, windowSeconds: 60).policyWindowSeconds == 60)
    }
}

