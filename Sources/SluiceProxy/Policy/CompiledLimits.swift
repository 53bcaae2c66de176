import SluiceConfig
import SluicePolicy

/// The rate-limit rules of one tier, org or route, compiled once per config version, and the
/// policy names they are reported under (`burst`/`minute`/`daily`, with an `org-` or `route-`
/// prefix for org and route limits).
struct CompiledLimits: Sendable {
    enum Level: Sendable {
        case tier, org, route
    }

    var burst: RateLimitRule?
    var minute: RateLimitRule?
    var daily: RateLimitRule?
    let level: Level
    /// This level's `RateLimit-Policy` items (e.g. `"burst";q=100;w=1, "daily";q=1000;w=86400`),
    /// rendered once here: they depend only on the rules, so a request copies them instead of
    /// formatting numbers.
    private(set) var policyItems: [UInt8] = []

    /// Rules for `limits`; an out-of-range value throws (the compiler reports it at the field).
    init(_ limits: RateLimits, level: Level) throws(RateLimitRuleError) {
        self.level = level
        if let rate = limits.requestsPerSecond {
            burst = try RateLimitRule.tokenBucket(requestsPerSecond: rate,
                                                  burst: limits.burst ?? TierConfig.defaultBurst(requestsPerSecond: rate))
        }
        if let perMinute = limits.requestsPerMinute {
            minute = try RateLimitRule.slidingWindow(limit: perMinute, windowSeconds: 60)
        }
        if let perDay = limits.requestsPerDay {
            daily = try RateLimitRule.slidingWindow(limit: perDay, windowSeconds: 86_400)
        }
        var batch = RateLimitBatch(capacity: 3)
        append(key: RateLimitKey(high: 0, low: 0), to: &batch)
        RateLimitHeaderValue.appendPolicy(of: batch, to: &policyItems)
    }

    var isEmpty: Bool { burst == nil && minute == nil && daily == nil }

    /// Adds this level's rules for `key` to a request's batch, and its policy items to the
    /// request's `RateLimit-Policy` value (after `, ` when it already has some).
    @inline(__always)
    func append(key: RateLimitKey, to batch: inout RateLimitBatch, policy: inout [UInt8]) {
        append(key: key, to: &batch)
        guard !policyItems.isEmpty else { return }
        if !policy.isEmpty {
            policy.append(0x2C)
            policy.append(0x20)
        }
        policy.append(contentsOf: policyItems)
    }

    /// Adds this level's rules for `key` to a request's batch.
    @inline(__always)
    func append(key: RateLimitKey, to batch: inout RateLimitBatch) {
        let names: (RateLimitPolicyName, RateLimitPolicyName, RateLimitPolicyName)
        switch level {
        case .tier: names = (.burst, .minute, .daily)
        case .org: names = (.orgBurst, .orgMinute, .orgDaily)
        case .route: names = (.routeBurst, .routeMinute, .routeDaily)
        }
        if let burst { batch.append(key: key, rule: burst, policy: names.0) }
        if let minute { batch.append(key: key, rule: minute, policy: names.1) }
        if let daily { batch.append(key: key, rule: daily, policy: names.2) }
    }
}
