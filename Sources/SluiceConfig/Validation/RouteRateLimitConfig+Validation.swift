extension RouteRateLimitConfig {
    /// Problems with pointers under `pointer` (the route's `/rate_limit`).
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if limits.isEmpty {
            if overrideTier {
                problems.append(ConfigProblem(pointer: pointer + "/override_tier",
                                              message: "override_tier needs at least one limit to replace the tier's with"))
            } else if mode != .shape {
                problems.append(ConfigProblem(
                    pointer: pointer,
                    message: "rate_limit needs a limit (requests_per_second, requests_per_minute or requests_per_day) or mode \"shape\""))
            }
        }
        problems += limits.problems(at: pointer)
        if mode == .shape {
            if !RouteRateLimitConfig.maxDelayMillisecondsRange.contains(maxDelayMilliseconds) {
                problems.append(ConfigProblem(pointer: pointer + "/max_delay_ms", message: "max_delay_ms must be 1…60000"))
            }
        } else if maxDelayMilliseconds != RouteRateLimitConfig.defaultMaxDelayMilliseconds {
            problems.append(ConfigProblem(pointer: pointer + "/max_delay_ms", message: "max_delay_ms applies only to mode \"shape\""))
        }
        return problems
    }
}
