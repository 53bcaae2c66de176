/// Request limits for one key (a consumer, an org, or a consumer on one route), all enforced
/// together: a token bucket of `burst` refilled at `requestsPerSecond`, and sliding-window quotas
/// per minute and per day. Every limit is optional here; tiers require `requestsPerSecond`
/// (`TierConfig.limits`), orgs and route limits require at least one limit.
///
/// Ranges: `requestsPerSecond` > 0 and ≤ 1,000,000 (fractions allowed); `burst` 1…1,000,000,000,
/// set only together with `requestsPerSecond` and defaulting to it rounded up;
/// `requestsPerMinute` and `requestsPerDay` ≥ 1.
public struct RateLimits: Sendable, Equatable {
    public var requestsPerSecond: Double?
    /// Non-nil exactly when `requestsPerSecond` is (`init` fills the default).
    public var burst: Int?
    public var requestsPerMinute: Int?
    public var requestsPerDay: Int?

    /// `burst` defaults to `ceil(requestsPerSecond)` when a rate is given; a `burst` without a
    /// rate is kept (and reported by `problems(at:)`).
    public init(requestsPerSecond: Double? = nil, burst: Int? = nil, requestsPerMinute: Int? = nil,
                requestsPerDay: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst ?? requestsPerSecond.map { TierConfig.defaultBurst(requestsPerSecond: $0) }
        self.requestsPerMinute = requestsPerMinute
        self.requestsPerDay = requestsPerDay
    }

    /// True when no limit is set.
    public var isEmpty: Bool {
        requestsPerSecond == nil && requestsPerMinute == nil && requestsPerDay == nil
    }
}
