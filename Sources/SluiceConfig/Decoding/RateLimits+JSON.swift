extension RateLimits {
    /// The JSON fields of limits, in canonical order; they sit in their owner's object.
    static let fields = ["requests_per_second", "burst", "requests_per_minute", "requests_per_day"]

    /// The set limits as object members in canonical order (`burst` with its default written).
    /// An integral rate is written as an integer so that `5` round-trips as `5`, not `5.0`.
    var jsonMembers: [JSONValue.Member] {
        var members: [JSONValue.Member] = []
        if let requestsPerSecond { members.append(.init("requests_per_second", RateLimits.rateValue(requestsPerSecond))) }
        if let burst { members.append(.init("burst", .integer(Int64(burst)))) }
        if let requestsPerMinute { members.append(.init("requests_per_minute", .integer(Int64(requestsPerMinute)))) }
        if let requestsPerDay { members.append(.init("requests_per_day", .integer(Int64(requestsPerDay)))) }
        return members
    }

    static func rateValue(_ rate: Double) -> JSONValue {
        let isIntegral = abs(rate) < 1e15 && Double(Int64(rate)) == rate
        return isIntegral ? .integer(Int64(rate)) : .number(rate)
    }

    /// Reads the four limit fields of `object` (all optional; `requireRate` makes
    /// `requests_per_second` required, as tiers have it). Type problems are reported.
    static func decode(_ object: ObjectFields, requireRate: Bool = false, into decoding: inout ConfigDecoding) -> RateLimits {
        let rate = decoding.number(object, "requests_per_second", required: requireRate)
        let burst = decoding.integer(object, "burst")
        let perMinute = decoding.integer(object, "requests_per_minute")
        let perDay = decoding.integer(object, "requests_per_day")
        return RateLimits(requestsPerSecond: rate, burst: burst, requestsPerMinute: perMinute, requestsPerDay: perDay)
    }
}
