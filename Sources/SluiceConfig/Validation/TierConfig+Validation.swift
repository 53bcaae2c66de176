extension TierConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let message = FieldSyntax.nameProblem(name) {
            problems.append(ConfigProblem(pointer: pointer + "/name", message: message))
        }
        return problems + limits.problems(at: pointer)
    }
}
