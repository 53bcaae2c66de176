/// A route's own per-identity limits (`rate_limit` in a route).
///
/// - `limits`: checked per identity on this route only (keys use the route *name*).
/// - `overrideTier`: false (default) adds these limits to the identity's tier limits; true
///   replaces the tier's limits on this route (org limits still apply). Needs at least one limit.
/// - `mode`: `.reject` (default) answers 429 when a limit refuses; `.shape` delays requests over
///   the per-second rate (leaky bucket, like nginx `limit_req` without `nodelay`) by up to
///   `maxDelayMilliseconds` (1…60,000, default 1,000; set only in shape mode), refusing beyond.
///
/// Valid when it has at least one limit or `mode` is `.shape` (which then shapes to the tier's
/// per-second rate).
public struct RouteRateLimitConfig: Sendable, Equatable {
    public static let defaultMaxDelayMilliseconds = 1000
    public static let maxDelayMillisecondsRange = 1...60_000

    /// What happens to a request over the per-second rate.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Refused with 429.
        case reject
        /// Delayed until the bucket allows it, up to `maxDelayMilliseconds`.
        case shape
    }

    public var limits: RateLimits
    public var overrideTier: Bool
    public var mode: Mode
    public var maxDelayMilliseconds: Int

    public init(limits: RateLimits = RateLimits(), overrideTier: Bool = false, mode: Mode = .reject,
                maxDelayMilliseconds: Int = RouteRateLimitConfig.defaultMaxDelayMilliseconds) {
        self.limits = limits
        self.overrideTier = overrideTier
        self.mode = mode
        self.maxDelayMilliseconds = maxDelayMilliseconds
    }
}
