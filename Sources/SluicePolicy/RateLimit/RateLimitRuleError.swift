/// Why a `RateLimitRule` could not be built: the offending value, for the config error message.
public enum RateLimitRuleError: Error, Equatable, Sendable {
    /// Not finite, or outside `RateLimitRule.minimumRequestsPerSecond...maximumRequestsPerSecond`.
    case requestsPerSecondOutOfRange(Double)
    /// Outside `RateLimitRule.burstRange`.
    case burstOutOfRange(Int)
    /// Outside `RateLimitRule.windowLimitRange`.
    case windowLimitOutOfRange(Int)
    /// Outside `RateLimitRule.windowSecondsRange`.
    case windowSecondsOutOfRange(Int)
}
