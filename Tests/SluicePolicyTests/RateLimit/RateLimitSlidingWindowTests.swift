import SluicePolicy
import Testing

@Suite struct RateLimitSlidingWindowTests {
    let keys = RateLimitKeyBuilder(seedHigh: 3, seedLow: 4)
    let s = RateLimitTestClock.second
    let ms = RateLimitTestClock.millisecond
    let t0 = RateLimitTestClock.start  // a window boundary for both 60 s and 86,400 s

    @Test func limitPerWindowThenWeightedPreviousWindow() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.slidingWindow(limit: 10, windowSeconds: 60)
        let key = keys.key(scope: "user", identity: "erin")
        for _ in 0..<10 { #expect(table.decide(key: key, rule: rule, now: t0, policy: .minute) == .allowed) }
        // Refused until the previous window (10) weighs at most 9: 10 × (60 − e)/60 + 1 ≤ 10 → e ≥ 6 s
        // into the next window, 66 s from now.
        #expect(table.decide(key: key, rule: rule, now: t0, policy: .minute) == .refused(retryAfterSeconds: 66))
        #expect(table.decide(key: key, rule: rule, now: t0 + 59 * s) == .refused(retryAfterSeconds: 7))
        #expect(table.decide(key: key, rule: rule, now: t0 + 60 * s) == .refused(retryAfterSeconds: 6))
        #expect(table.decide(key: key, rule: rule, now: t0 + 66 * s - ms) == .refused(retryAfterSeconds: 1))
        #expect(table.decide(key: key, rule: rule, now: t0 + 66 * s) == .allowed)
        #expect(table.decide(key: key, rule: rule, now: t0 + 66 * s) == .refused(retryAfterSeconds: 6))
        // Half-way into the next window the previous count (10) weighs 5; one used: 4 more fit.
        let half = t0 + 90 * s
        for _ in 0..<4 { #expect(table.decide(key: key, rule: rule, now: half) == .allowed) }
        guard case .refused = table.decide(key: key, rule: rule, now: half) else {
            Issue.record("the weighted previous window must refuse the 6th")
            return
        }
    }

    @Test func dayBoundary() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.slidingWindow(limit: 3, windowSeconds: 86_400)
        let key = keys.key(scope: "user", identity: "frank")
        let lastSecond = t0 + 86_399 * s
        for _ in 0..<3 { #expect(table.decide(key: key, rule: rule, now: lastSecond) == .allowed) }
        // Next day: the previous 3 weigh 3 × (1 − e/86,400), so one more fits at e ≥ 28,800 s (8 h).
        #expect(table.decide(key: key, rule: rule, now: lastSecond) == .refused(retryAfterSeconds: 28_801))
        let nextDay = t0 + 86_400 * s
        #expect(table.decide(key: key, rule: rule, now: nextDay) == .refused(retryAfterSeconds: 28_800))
        #expect(table.decide(key: key, rule: rule, now: nextDay + 28_800 * s - ms) == .refused(retryAfterSeconds: 1))
        #expect(table.decide(key: key, rule: rule, now: nextDay + 28_800 * s) == .allowed)
        // Two days later nothing is left of either window.
        let later = nextDay + 2 * 86_400 * s
        for _ in 0..<3 { #expect(table.decide(key: key, rule: rule, now: later) == .allowed) }
    }

    @Test func remainingAndReset() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.slidingWindow(limit: 1000, windowSeconds: 86_400)
        var batch = RateLimitBatch()
        batch.append(key: keys.key(scope: "user", identity: "gina"), rule: rule, policy: .daily)
        #expect(table.decide(&batch, now: t0 + 400 * s) == .allowed)
        #expect(batch.remaining(at: 0) == 999)
        #expect(batch.resetSeconds(at: 0) == 86_000)  // until the window ends
        #expect(rule.policyWindowSeconds == 86_400)
    }

    @Test func aLoweredLimitAppliesToTheExistingCounts() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let key = keys.key(scope: "user", identity: "downgraded")
        let generous = try RateLimitRule.slidingWindow(limit: 10, windowSeconds: 60)
        let strict = try RateLimitRule.slidingWindow(limit: 4, windowSeconds: 60)
        for _ in 0..<6 { #expect(table.decide(key: key, rule: generous, now: t0) == .allowed) }
        // 6 counted, limit now 4: next window, 6 × (60 − e)/60 + 1 ≤ 4 → e ≥ 30 s: 90 s from now.
        #expect(table.decide(key: key, rule: strict, now: t0) == .refused(retryAfterSeconds: 90))
        #expect(table.decide(key: key, rule: strict, now: t0 + 90 * s) == .allowed)
    }

    @Test func minuteAndDayWindowsOfOneKeyAreSeparate() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let minute = try RateLimitRule.slidingWindow(limit: 2, windowSeconds: 60)
        let day = try RateLimitRule.slidingWindow(limit: 5, windowSeconds: 86_400)
        let key = keys.key(scope: "user", identity: "hank")
        var batch = RateLimitBatch()
        batch.append(key: key, rule: minute, policy: .minute)
        batch.append(key: key, rule: day, policy: .daily)
        #expect(table.decide(&batch, now: t0) == .allowed)
        #expect(table.decide(&batch, now: t0) == .allowed)
        #expect(batch.remaining(at: 0) == 0)
        #expect(batch.remaining(at: 1) == 3)
    }
}

@Suite struct RateLimitSlidingWindowClockSkewTests {
    @Test func aLateReaderAtAWindowBoundaryDoesNotResetTheCounts() throws {
        let table = RateLimitTable(maxKeys: 1024)
        let rule = try RateLimitRule.slidingWindow(limit: 2, windowSeconds: 60)
        let key = RateLimitKeyBuilder(seedHigh: 1, seedLow: 1).key(scope: "user", identity: "skew")
        let boundary = RateLimitTestClock.start + 60 * RateLimitTestClock.second
        // One thread already decided in the new window; another read the clock 1 ms earlier.
        #expect(table.decide(key: key, rule: rule, now: boundary) == .allowed)
        #expect(table.decide(key: key, rule: rule, now: boundary - RateLimitTestClock.millisecond) == .allowed)
        guard case .refused = table.decide(key: key, rule: rule, now: boundary - RateLimitTestClock.millisecond) else {
            Issue.record("the stale reader must see the new window's two requests")
            return
        }
    }
}
