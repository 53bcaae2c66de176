extension RouteRateLimitConfig {
    /// The set limits, then `override_tier` and `mode`, and `max_delay_ms` in shape mode only.
    public var jsonValue: JSONValue {
        var members = limits.jsonMembers
        members.append(.init("override_tier", .bool(overrideTier)))
        members.append(.init("mode", .string(mode.rawValue)))
        if mode == .shape { members.append(.init("max_delay_ms", .integer(Int64(maxDelayMilliseconds)))) }
        return .object(members)
    }

    static let fields = RateLimits.fields + ["override_tier", "mode", "max_delay_ms"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> RouteRateLimitConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let limits = RateLimits.decode(object, into: &decoding)
        let overrideTier = decoding.bool(object, "override_tier")
        let mode: Mode? = decoding.choice(object, "mode")
        let maxDelay = decoding.integer(object, "max_delay_ms")
        guard decoding.problems.count == before else { return nil }
        if maxDelay != nil && (mode ?? .reject) != .shape {
            decoding.report(object.pointer("max_delay_ms"), "max_delay_ms applies only to mode \"shape\"")
            return nil
        }
        return RouteRateLimitConfig(limits: limits, overrideTier: overrideTier ?? false, mode: mode ?? .reject,
                                    maxDelayMilliseconds: maxDelay ?? RouteRateLimitConfig.defaultMaxDelayMilliseconds)
    }
}
