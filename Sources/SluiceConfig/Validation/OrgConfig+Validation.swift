extension OrgConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let message = FieldSyntax.textProblem(id, what: "id") {
            problems.append(ConfigProblem(pointer: pointer + "/id", message: message))
        }
        if limits.isEmpty {
            problems.append(ConfigProblem(
                pointer: pointer,
                message: "an org needs at least one limit: requests_per_second, requests_per_minute or requests_per_day"))
        }
        return problems + limits.problems(at: pointer)
    }
}
