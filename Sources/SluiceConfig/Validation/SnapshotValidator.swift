/// The rules that relate entities to each other: unique names (upstreams, routes, tiers),
/// consumer ids and kids; routes naming existing upstreams; consumers naming existing tiers;
/// `auth: jwt` routes having keys to verify with; no two routes with the same host set, the same
/// `path_prefix` and overlapping methods (the router could not tell them apart).
///
/// Works on a `PartialSnapshot`: entities that failed to decode are nil and skipped, and a
/// reference is only checked when every entity of the referenced kind decoded.
/// Linear time: duplicates and route conflicts are found through hash tables.
struct SnapshotValidator {
    let snapshot: PartialSnapshot

    init(_ snapshot: PartialSnapshot) {
        self.snapshot = snapshot
    }

    func crossEntityProblems() -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        duplicates(snapshot.upstreams, "upstream name", into: &problems)
        duplicates(snapshot.routes, "route name", into: &problems)
        duplicates(snapshot.tiers, "tier name", into: &problems)
        duplicates(snapshot.consumers, "consumer id", into: &problems)
        duplicates(snapshot.jwtKeys, "kid", into: &problems)

        let upstreamNames = Set(snapshot.upstreams.compactMap { $0?.name })
        let allUpstreamsKnown = !snapshot.upstreams.contains { $0 == nil }
        let hasKeys = !snapshot.jwtKeys.isEmpty
        for (index, route) in snapshot.routes.enumerated() {
            guard let route else { continue }
            if allUpstreamsKnown && !upstreamNames.contains(route.upstream) {
                problems.append(ConfigProblem(pointer: "/routes/\(index)/upstream",
                                              message: "unknown upstream \"\(route.upstream)\""))
            }
            if route.auth == .jwt && !hasKeys {
                problems.append(ConfigProblem(pointer: "/routes/\(index)/auth",
                                              message: "auth \"jwt\" needs at least one entry in jwt_keys"))
            }
        }
        let tierNames = Set(snapshot.tiers.compactMap { $0?.name })
        let allTiersKnown = !snapshot.tiers.contains { $0 == nil }
        for (index, consumer) in snapshot.consumers.enumerated() {
            guard let consumer, allTiersKnown, !tierNames.contains(consumer.tier) else { continue }
            problems.append(ConfigProblem(pointer: "/consumers/\(index)/tier",
                                          message: "unknown tier \"\(consumer.tier)\""))
        }
        routeConflicts(into: &problems)
        return problems
    }

    /// Reports each entity whose identity already occurred, at its identity field.
    private func duplicates<Entity: SnapshotEntity>(_ entities: [Entity?], _ what: String,
                                                    into problems: inout [ConfigProblem]) {
        var first: [String: Int] = [:]
        first.reserveCapacity(entities.count)
        for (index, entity) in entities.enumerated() {
            guard let entity else { continue }
            if let earlier = first[entity.identity] {
                problems.append(ConfigProblem(
                    pointer: "/\(Entity.collectionKey)/\(index)/\(Entity.identityKey)",
                    message: "duplicate \(what) \"\(entity.identity)\" (also at /\(Entity.collectionKey)/\(earlier))"))
            } else {
                first[entity.identity] = index
            }
        }
    }

    /// Routes with the same host set and path prefix must not share a method (an empty method
    /// list shares every method).
    private func routeConflicts(into problems: inout [ConfigProblem]) {
        var groups: [RouteMatchKey: [Int]] = [:]
        groups.reserveCapacity(snapshot.routes.count)
        for (index, route) in snapshot.routes.enumerated() {
            guard let route else { continue }
            let key = RouteMatchKey(hosts: Set(route.hosts), pathPrefix: route.pathPrefix)
            let earlier = groups[key, default: []]
            if let conflict = earlier.first(where: { other in
                guard let otherRoute = snapshot.routes[other] else { return false }
                return RouteMatchKey.methodsOverlap(route.methods, otherRoute.methods)
            }) {
                problems.append(ConfigProblem(
                    pointer: "/routes/\(index)",
                    message: "route matches the same hosts, path_prefix and methods as /routes/\(conflict)"))
            }
            groups[key, default: []].append(index)
        }
    }
}

/// What a router matches a route on, apart from methods.
struct RouteMatchKey: Hashable {
    var hosts: Set<String>
    var pathPrefix: String

    static func methodsOverlap(_ first: [String], _ second: [String]) -> Bool {
        first.isEmpty || second.isEmpty || first.contains { second.contains($0) }
    }
}
