extension Snapshot {
    /// Every problem with this snapshot at once, each at its JSON Pointer: each entity's own
    /// field rules (as decoding applies them) and the cross-entity rules of `SnapshotValidator`.
    /// Empty means a data plane can compile it. Linear in the snapshot's size.
    public func validate() -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if version < 0 { problems.append(ConfigProblem(pointer: "/version", message: "version must be ≥ 0")) }
        collect(upstreams, into: &problems)
        collect(routes, into: &problems)
        collect(tiers, into: &problems)
        collect(orgs, into: &problems)
        collect(consumers, into: &problems)
        collect(apiKeys, into: &problems)
        collect(jwtKeys, into: &problems)
        problems += crossEntityProblems()
        return problems
    }

    /// Only the rules between entities (references, uniqueness, …): for a snapshot decoded with
    /// `SnapshotDecoder.decode`, whose entities already passed their own field rules.
    public func crossEntityProblems() -> [ConfigProblem] {
        SnapshotValidator(PartialSnapshot(self)).crossEntityProblems()
    }

    private func collect<Entity: SnapshotEntity>(_ entities: [Entity], into problems: inout [ConfigProblem]) {
        for (index, entity) in entities.enumerated() {
            problems += entity.problems(at: "/\(Entity.collectionKey)/\(index)")
        }
    }
}
