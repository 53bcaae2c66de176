extension ConsumerConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let message = FieldSyntax.textProblem(id, what: "id") {
            problems.append(ConfigProblem(pointer: pointer + "/id", message: message))
        }
        if let message = FieldSyntax.nameProblem(tier) {
            problems.append(ConfigProblem(pointer: pointer + "/tier", message: "tier " + message))
        }
        if let org, let message = FieldSyntax.textProblem(org, what: "org") {
            problems.append(ConfigProblem(pointer: pointer + "/org", message: message))
        }
        return problems
    }
}
