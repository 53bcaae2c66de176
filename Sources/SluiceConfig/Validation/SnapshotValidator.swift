/// The rules that relate entities to each other: unique names (upstreams, routes, tiers),
/// org ids, consumer ids, API key ids and hashes, and kids; routes naming existing upstreams;
/// consumers naming existing tiers (a consumer's `org` may name no org); API keys naming existing
/// consumers;
/// `auth: jwt` routes having keys to verify with; no two routes with the same host set, the same
/// `path_prefix` and overlapping methods (the router could not tell them apart).
///
/// Works on a `PartialSnapshot`: entities that failed to decode are missing and skipped, and a
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
        duplicates(snapshot.orgs, "org id", into: &problems)
        duplicates(snapshot.consumers, "consumer id", into: &problems)
        duplicates(snapshot.apiKeys, "API key id", into: &problems)
        duplicates(snapshot.jwtKeys, "kid", into: &problems)

        let routes = snapshot.routes
        var upstreamNames: Set<String> = []
        upstreamNames.reserveCapacity(snapshot.upstreams.entities.count)
        for index in snapshot.upstreams.entities.indices { upstreamNames.insert(snapshot.upstreams.entities[index].name) }
        let hasKeys = !snapshot.jwtKeys.entities.isEmpty || !snapshot.jwtKeys.isComplete
        for index in routes.entities.indices {
            let position = routes.position(index)
            if snapshot.upstreams.isComplete && !upstreamNames.contains(routes.entities[index].upstream) {
                problems.append(ConfigProblem(pointer: "/routes/\(position)/upstream",
                                              message: "unknown upstream \"\(routes.entities[index].upstream)\""))
            }
            if routes.entities[index].auth == .jwt && !hasKeys {
                problems.append(ConfigProblem(pointer: "/routes/\(position)/auth",
                                              message: "auth \"jwt\" needs at least one entry in jwt_keys"))
            }
        }
        if snapshot.tiers.isComplete {
            let tierNames = Set(snapshot.tiers.entities.map(\.name))
            let consumers = snapshot.consumers
            for index in consumers.entities.indices where !tierNames.contains(consumers.entities[index].tier) {
                problems.append(ConfigProblem(pointer: "/consumers/\(consumers.position(index))/tier",
                                              message: "unknown tier \"\(consumers.entities[index].tier)\""))
            }
        }
        apiKeyProblems(into: &problems)
        routeConflicts(into: &problems)
        return problems
    }

    /// API keys name existing consumers (when every consumer decoded) and have distinct hashes.
    private func apiKeyProblems(into problems: inout [ConfigProblem]) {
        let keys = snapshot.apiKeys
        let consumerIDs: Set<String>? = snapshot.consumers.isComplete ? Set(snapshot.consumers.entities.map(\.id)) : nil
        var firstWithHash: [[UInt8]: Int] = [:]
        for index in keys.entities.indices {
            let key = keys.entities[index]
            let position = keys.position(index)
            if let consumerIDs, !consumerIDs.contains(key.consumer) {
                problems.append(ConfigProblem(pointer: "/api_keys/\(position)/consumer",
                                              message: "unknown consumer \"\(key.consumer)\""))
            }
            if let earlier = firstWithHash[key.sha256] {
                problems.append(ConfigProblem(pointer: "/api_keys/\(position)/sha256",
                                              message: "duplicate API key hash (also at /api_keys/\(earlier))"))
            } else {
                firstWithHash[key.sha256] = position
            }
        }
    }

    /// Reports each entity whose identity already occurred, at its identity field.
    private func duplicates<Entity: SnapshotEntity>(_ list: PartialList<Entity>, _ what: String,
                                                    into problems: inout [ConfigProblem]) {
        var first: [String: Int] = [:]
        first.reserveCapacity(list.entities.count)
        for index in list.entities.indices {
            let identity = list.entities[index].identity
            let position = list.position(index)
            if let earlier = first.updateValue(position, forKey: identity) {
                first[identity] = earlier
                problems.append(ConfigProblem(
                    pointer: "/\(Entity.collectionKey)/\(position)/\(Entity.identityKey)",
                    message: "duplicate \(what) \"\(identity)\" (also at /\(Entity.collectionKey)/\(earlier))"))
            }
        }
    }

    /// Routes with the same host set and path prefix must not share a method (an empty method
    /// list shares every method). Each group remembers which route claimed each method, so the
    /// check stays linear however many routes share a prefix.
    private func routeConflicts(into problems: inout [ConfigProblem]) {
        let routes = snapshot.routes
        // Most routes have a key of their own: remember only the first route per key, and build
        // method claims for the few keys that repeat.
        var firstWithKey: [RouteMatchKey: Int] = [:]
        firstWithKey.reserveCapacity(routes.entities.count)
        var claims: [RouteMatchKey: RouteMethodClaims] = [:]
        for index in routes.entities.indices {
            let key = RouteMatchKey(hosts: Set(routes.entities[index].hosts), pathPrefix: routes.entities[index].pathPrefix)
            guard let first = firstWithKey[key] else {
                firstWithKey[key] = index
                continue
            }
            let conflict = claims[key, default: RouteMethodClaims(routes.entities[first].methods, for: first)]
                .claim(routes.entities[index].methods, for: index)
            if let conflict {
                problems.append(ConfigProblem(
                    pointer: "/routes/\(routes.position(index))",
                    message: "route matches the same hosts, path_prefix and methods as /routes/\(routes.position(conflict))"))
            }
        }
    }
}
