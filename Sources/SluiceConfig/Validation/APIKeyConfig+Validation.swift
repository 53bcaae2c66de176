extension APIKeyConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let message = FieldSyntax.textProblem(id, what: "id") {
            problems.append(ConfigProblem(pointer: pointer + "/id", message: message))
        }
        if let message = FieldSyntax.textProblem(consumer, what: "consumer") {
            problems.append(ConfigProblem(pointer: pointer + "/consumer", message: message))
        }
        if sha256.count != APIKeyConfig.hashBytes {
            problems.append(ConfigProblem(pointer: pointer + "/sha256",
                                          message: "sha256 must be \(APIKeyConfig.hashBytes) bytes, got \(sha256.count)"))
        }
        return problems
    }
}
