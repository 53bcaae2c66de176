import SluiceHTTP

/// One worker's view of which upstream targets are failing, for the event log: the first failure
/// of a target after a success logs `upstream_down` (warning: upstream, target, reason) and the
/// first success after that logs `upstream_up`, so a failure storm writes one line per worker
/// and target, not one per request. Nothing is taken out of rotation (no health checks yet).
///
/// A success costs one emptiness check while nothing is failing. Thread affinity: its worker's loop.
struct UpstreamTransitions {
    private var failing: Set<UpstreamTarget> = []

    /// Whether any target is failing (a success needs `record` only then).
    var anyFailing: Bool { !failing.isEmpty }

    mutating func record(upstream: CompiledUpstream, targetIndex: Int, error: UpstreamErrorKind?) {
        guard targetIndex < upstream.targets.count else { return }
        let target = upstream.targets[targetIndex]
        if let error {
            guard failing.insert(target).inserted else { return }
            ProxyLog.warning("upstream_down", "upstream \(upstream.name) target \(target) failing: \(error.label)",
                             ["upstream": .string(upstream.name), "target": .string(target.description),
                              "reason": .string(error.label)])
        } else if failing.remove(target) != nil {
            ProxyLog.info("upstream_up", "upstream \(upstream.name) target \(target) answering again",
                          ["upstream": .string(upstream.name), "target": .string(target.description)])
        }
    }
}
