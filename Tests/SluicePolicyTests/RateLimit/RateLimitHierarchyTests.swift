import SluicePolicy
import Testing

@Suite struct RateLimitHierarchyTests {
    let keys = RateLimitKeyBuilder(seedHigh: 5, seedLow: 6)
    let s = RateLimitTestClock.second
    let t0 = RateLimitTestClock.start

    @Test func retryAfterIsTheMaximumOfTheRefusingLimits() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let user = keys.key(scope: "user", identity: "ivy")
        let perSecond = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 1)
        let perMinute = try RateLimitRule.slidingWindow(limit: 1, windowSeconds: 60)
        var batch = RateLimitBatch()
        batch.append(key: user, rule: perSecond, policy: .burst)
        batch.append(key: user, rule: perMinute, policy: .minute)
        #expect(table.decide(&batch, now: t0 + 30 * s) == .allowed)
        // Both refuse: the bucket for 1 s, the window until the previous count has fully decayed
        // (the end of the next window: 30 + 60 s).
        #expect(table.decide(&batch, now: t0 + 30 * s) == .refused(retryAfterSeconds: 90))
        #expect(batch.isRefusing(at: 0) && batch.isRefusing(at: 1))
    }

    @Test func aRefusalByOneLimitConsumesNoOtherLimit() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let user = keys.key(scope: "user", identity: "jack")
        let perSecond = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 3)
        let perDay = try RateLimitRule.slidingWindow(limit: 100, windowSeconds: 86_400)
        var batch = RateLimitBatch()
        batch.append(key: user, rule: perSecond, policy: .burst)
        batch.append(key: user, rule: perDay, policy: .daily)
        for _ in 0..<3 { #expect(table.decide(&batch, now: t0) == .allowed) }
        for _ in 0..<10 { #expect(table.decide(&batch, now: t0) == .refused(retryAfterSeconds: 1)) }
        #expect(!batch.isRefusing(at: 1))
        #expect(batch.remaining(at: 1) == 97)  // the 10 refusals took nothing from the day
    }

    @Test func orgRefusalDoesNotConsumeTheUsersBudget() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let userRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 5)
        let orgRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 3)
        let org = keys.key(scope: "org", identity: "acme")
        func batch(for user: String) -> RateLimitBatch {
            var batch = RateLimitBatch()
            batch.append(key: keys.key(scope: "user", identity: user), rule: userRule, policy: .burst)
            batch.append(key: org, rule: orgRule, policy: .orgBurst)
            return batch
        }
        var first = batch(for: "u1")
        var second = batch(for: "u2")
        for _ in 0..<3 { #expect(table.decide(&first, now: t0) == .allowed) }
        for _ in 0..<5 { #expect(table.decide(&second, now: t0) == .refused(retryAfterSeconds: 1)) }
        #expect(!second.isRefusing(at: 0) && second.isRefusing(at: 1))
        #expect(second.remaining(at: 0) == 5)  // u2's own bucket untouched by the org's refusals
        // Once the org has room again, u2 still has its whole burst (limited by the org's 3).
        let later = t0 + 3 * s
        for _ in 0..<3 { #expect(table.decide(&second, now: later) == .allowed) }
        #expect(second.remaining(at: 0) == 2)
    }

    @Test func userRefusalDoesNotConsumeTheOrgsBudget() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let userRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 2)
        let orgRule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 10)
        let org = keys.key(scope: "org", identity: "acme")
        var batch = RateLimitBatch()
        batch.append(key: org, rule: orgRule, policy: .orgBurst)  // org first: it commits first
        batch.append(key: keys.key(scope: "user", identity: "u1"), rule: userRule, policy: .burst)
        for _ in 0..<2 { #expect(table.decide(&batch, now: t0) == .allowed) }
        for _ in 0..<20 { #expect(table.decide(&batch, now: t0) == .refused(retryAfterSeconds: 1)) }
        #expect(batch.remaining(at: 0) == 8)
    }

    @Test func routeLimitsAddToTierLimitsAndUseTheirOwnKeys() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let tier = try RateLimitRule.tokenBucket(requestsPerSecond: 10, burst: 10)
        let route = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 2)
        let user = "kim"
        var onRoute = RateLimitBatch()
        onRoute.append(key: keys.key(scope: "user", identity: user), rule: tier, policy: .burst)
        onRoute.append(key: keys.key(scope: "route:search", identity: user), rule: route, policy: .routeBurst)
        var elsewhere = RateLimitBatch()
        elsewhere.append(key: keys.key(scope: "user", identity: user), rule: tier, policy: .burst)
        for _ in 0..<2 { #expect(table.decide(&onRoute, now: t0) == .allowed) }
        #expect(table.decide(&onRoute, now: t0) == .refused(retryAfterSeconds: 1))
        for _ in 0..<8 { #expect(table.decide(&elsewhere, now: t0) == .allowed) }
        #expect(table.decide(&elsewhere, now: t0) == .refused(retryAfterSeconds: 1))
    }

    @Test func shapeModeDelaysByTheLongestWaitOfAllBuckets() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let user = keys.key(scope: "user", identity: "lou")
        let org = keys.key(scope: "org", identity: "shaped")
        let ms = RateLimitTestClock.millisecond
        var batch = RateLimitBatch()
        batch.append(key: user, rule: try .tokenBucket(requestsPerSecond: 10, burst: 1), policy: .burst)
        batch.append(key: org, rule: try .tokenBucket(requestsPerSecond: 4, burst: 1), policy: .orgBurst)
        #expect(table.decide(&batch, now: t0, maxDelayNanoseconds: 1_000 * ms) == .allowed)
        // User 100 ms behind, org 250 ms behind: the request waits for both.
        #expect(table.decide(&batch, now: t0, maxDelayNanoseconds: 1_000 * ms) == .delayed(nanoseconds: 250 * ms))
        #expect(table.decide(&batch, now: t0, maxDelayNanoseconds: 1_000 * ms) == .delayed(nanoseconds: 500 * ms))
        // With at most 700 ms the org (750 ms) refuses: nothing is committed in either bucket.
        #expect(table.decide(&batch, now: t0, maxDelayNanoseconds: 700 * ms) == .refused(retryAfterSeconds: 1))
        var userOnly = RateLimitBatch()
        userOnly.append(key: user, rule: try .tokenBucket(requestsPerSecond: 10, burst: 1), policy: .burst)
        #expect(table.decide(&userOnly, now: t0, maxDelayNanoseconds: 1_000 * ms) == .delayed(nanoseconds: 300 * ms))
        #expect(table.decide(&batch, now: t0, maxDelayNanoseconds: 1_000 * ms) == .delayed(nanoseconds: 750 * ms))
    }

    /// The same bucket twice in one batch takes the commit-time path deterministically: the
    /// second commit sees the first, re-evaluates, refuses, and the first is given back.
    @Test func aCommitTimeRefusalGivesBackWhatWasCommitted() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let user = keys.key(scope: "user", identity: "twice")
        let rule = try RateLimitRule.tokenBucket(requestsPerSecond: 1, burst: 3)
        var twice = RateLimitBatch()
        twice.append(key: user, rule: rule, policy: .burst)
        twice.append(key: user, rule: rule, policy: .burst)
        #expect(table.decide(&twice, now: t0) == .allowed)  // 2 of 3 used
        #expect(table.decide(&twice, now: t0) == .refused(retryAfterSeconds: 1))
        var once = RateLimitBatch()
        once.append(key: user, rule: rule, policy: .burst)
        #expect(table.decide(&once, now: t0) == .allowed)  // the refused pair's first half came back
        #expect(table.decide(&once, now: t0) == .refused(retryAfterSeconds: 1))

        let window = try RateLimitRule.slidingWindow(limit: 3, windowSeconds: 60)
        var windows = RateLimitBatch()
        windows.append(key: user, rule: window, policy: .minute)
        windows.append(key: user, rule: window, policy: .minute)
        #expect(table.decide(&windows, now: t0) == .allowed)
        guard case .refused = table.decide(&windows, now: t0) else {
            Issue.record("the second pair must refuse at commit time")
            return
        }
        var oneWindow = RateLimitBatch()
        oneWindow.append(key: user, rule: window, policy: .minute)
        #expect(table.decide(&oneWindow, now: t0) == .allowed)
        #expect(oneWindow.remaining(at: 0) == 0)
    }
}

