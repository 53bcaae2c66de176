extension TierConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ field: String, _ message: String) {
            problems.append(ConfigProblem(pointer: pointer + field, message: message))
        }
        if let message = FieldSyntax.nameProblem(name) { report("/name", message) }
        if !(requestsPerSecond > 0 && requestsPerSecond <= TierConfig.maximumRequestsPerSecond) {
            report("/requests_per_second", "requests_per_second must be > 0 and ≤ 1000000")
        }
        if !TierConfig.burstRange.contains(burst) { report("/burst", "burst must be 1…1000000000") }
        if let requestsPerMinute, requestsPerMinute < 1 {
            report("/requests_per_minute", "requests_per_minute must be ≥ 1")
        }
        if let requestsPerDay, requestsPerDay < 1 { report("/requests_per_day", "requests_per_day must be ≥ 1") }
        return problems
    }
}
