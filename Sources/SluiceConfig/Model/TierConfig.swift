/// A plan such as `free` or `premium`: the limits every consumer on it gets.
///
/// `requestsPerSecond` is > 0 and ≤ 1,000,000 (fractions allowed: 0.5 is one request every two
/// seconds); `burst` is 1…1,000,000,000 and defaults to `requestsPerSecond` rounded up;
/// `requestsPerMinute` and `requestsPerDay` are optional quotas ≥ 1.
public struct TierConfig: Sendable, Equatable {
    public static let maximumRequestsPerSecond = 1_000_000.0
    public static let burstRange = 1...1_000_000_000

    public var name: String
    public var requestsPerSecond: Double
    public var burst: Int
    public var requestsPerMinute: Int?
    public var requestsPerDay: Int?

    public init(name: String, requestsPerSecond: Double, burst: Int? = nil,
                requestsPerMinute: Int? = nil, requestsPerDay: Int? = nil) {
        self.name = name
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst ?? TierConfig.defaultBurst(requestsPerSecond: requestsPerSecond)
        self.requestsPerMinute = requestsPerMinute
        self.requestsPerDay = requestsPerDay
    }

    /// The same limits in the form orgs and routes use (`requestsPerSecond` and `burst` set).
    public var limits: RateLimits {
        RateLimits(requestsPerSecond: requestsPerSecond, burst: burst, requestsPerMinute: requestsPerMinute,
                   requestsPerDay: requestsPerDay)
    }

    /// `ceil(requestsPerSecond)`, at least 1 (and 1 for values that are not valid rates).
    public static func defaultBurst(requestsPerSecond: Double) -> Int {
        guard requestsPerSecond.isFinite, requestsPerSecond > 0,
              requestsPerSecond <= Double(burstRange.upperBound) else { return 1 }
        let whole = Int(requestsPerSecond)  // truncates; no libm needed
        return max(1, Double(whole) == requestsPerSecond ? whole : whole + 1)
    }
}
