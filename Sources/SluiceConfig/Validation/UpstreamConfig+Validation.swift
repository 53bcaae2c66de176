extension UpstreamConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let message = FieldSyntax.nameProblem(name) {
            problems.append(ConfigProblem(pointer: pointer + "/name", message: message))
        }
        let targetsPointer = pointer + "/targets"
        if targets.isEmpty {
            problems.append(ConfigProblem(pointer: targetsPointer, message: "an upstream needs at least one target"))
        } else if targets.count > UpstreamConfig.maximumTargets {
            problems.append(ConfigProblem(pointer: targetsPointer,
                                          message: "an upstream may have at most \(UpstreamConfig.maximumTargets) targets"))
        }
        var seen: [TargetAddress: Int] = [:]
        for (index, target) in targets.enumerated() {
            let targetPointer = JSONPointer.appending(targetsPointer, index)
            do {
                let address = try TargetAddress(url: target.url)
                if let first = seen[address] {
                    problems.append(ConfigProblem(
                        pointer: targetPointer + "/url",
                        message: "duplicate target: same host and port as \(JSONPointer.appending(targetsPointer, first))"))
                } else {
                    seen[address] = index
                }
            } catch {
                problems.append(ConfigProblem(pointer: targetPointer + "/url", message: error.message))
            }
            if !TargetConfig.weightRange.contains(target.weight) {
                problems.append(ConfigProblem(
                    pointer: targetPointer + "/weight",
                    message: "weight must be \(TargetConfig.weightRange.lowerBound)…\(TargetConfig.weightRange.upperBound)"))
            }
        }
        return problems
    }
}
