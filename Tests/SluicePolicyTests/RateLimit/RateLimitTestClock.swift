import SluicePolicy

/// Nanosecond constants and a one-pair decision for the rate-limit tests (the clock is just a
/// number the tests advance: nothing here sleeps).
enum RateLimitTestClock {
    static let second: UInt64 = 1_000_000_000
    static let millisecond: UInt64 = 1_000_000
    /// A start far from 0 and aligned to a day, so window positions are easy to reason about.
    static let start: UInt64 = 20_000 * 86_400 * second
}

extension RateLimitTable {
    /// Decides one request against a single (key, rule) pair.
    func decide(key: RateLimitKey, rule: RateLimitRule, now: UInt64, maxDelay: UInt64 = 0,
                policy: RateLimitPolicyName = .burst) -> RateLimitDecision {
        var batch = RateLimitBatch(capacity: 1)
        batch.append(key: key, rule: rule, policy: policy)
        return decide(&batch, now: now, maxDelayNanoseconds: maxDelay)
    }
}
