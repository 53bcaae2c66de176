extension RateLimits {
    /// Range problems of each limit set, and a `burst` without `requests_per_second`; pointers are
    /// `pointer` + `/requests_per_second` and so on (the limits' fields sit in their owner's
    /// object). Whether a limit is required is the owner's rule.
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ field: String, _ message: String) {
            problems.append(ConfigProblem(pointer: pointer + field, message: message))
        }
        if let requestsPerSecond, !(requestsPerSecond > 0 && requestsPerSecond <= TierConfig.maximumRequestsPerSecond) {
            report("/requests_per_second", "requests_per_second must be > 0 and ≤ 1000000")
        }
        if let burst {
            if !TierConfig.burstRange.contains(burst) { report("/burst", "burst must be 1…1000000000") }
            if requestsPerSecond == nil { report("/burst", "burst needs requests_per_second") }
        }
        if let requestsPerMinute, requestsPerMinute < 1 {
            report("/requests_per_minute", "requests_per_minute must be ≥ 1")
        }
        if let requestsPerDay, requestsPerDay < 1 { report("/requests_per_day", "requests_per_day must be ≥ 1") }
        return problems
    }
}
