/// The outcome of one `RateLimitTable.decide` call over all the pairs of a batch.
public enum RateLimitDecision: Equatable, Sendable {
    /// Every pair allowed the request and its budget was consumed.
    case allowed
    /// Shape mode: every pair allows the request after waiting this long (its budget is
    /// already consumed; the caller must hold the request that long, then forward it).
    case delayed(nanoseconds: UInt64)
    /// At least one pair refused; no pair's budget was consumed. `retryAfterSeconds` (≥ 1,
    /// whole seconds rounded up) is the one wait after which every refusing limit would allow.
    case refused(retryAfterSeconds: UInt64)
}

extension RateLimitDecision {
    /// A refusal whose every limit allows again after `wait` nanoseconds: whole seconds, rounded
    /// up, at least 1 (`Retry-After` has no fractions and 0 would invite an immediate retry).
    @inline(__always)
    static func refused(after wait: UInt64) -> RateLimitDecision {
        .refused(retryAfterSeconds: max(1, RateLimitRule.secondsRoundedUp(wait)))
    }
}
