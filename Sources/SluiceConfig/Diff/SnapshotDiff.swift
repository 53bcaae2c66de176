/// What changed from one snapshot to another, per entity kind: the body of the control plane's
/// `GET /v1/versions/{n}/diff?against={m}`. A value; computing it is linear in the snapshots' size.
public struct SnapshotDiff: Sendable, Equatable {
    public var fromVersion: Int
    public var toVersion: Int
    public var upstreams: EntityDiff
    public var routes: EntityDiff
    public var tiers: EntityDiff
    public var orgs: EntityDiff
    public var consumers: EntityDiff
    public var apiKeys: EntityDiff
    public var jwtKeys: EntityDiff

    public init(from old: Snapshot, to new: Snapshot) {
        fromVersion = old.version
        toVersion = new.version
        upstreams = EntityDiff(from: old.upstreams, to: new.upstreams)
        routes = EntityDiff(from: old.routes, to: new.routes)
        tiers = EntityDiff(from: old.tiers, to: new.tiers)
        orgs = EntityDiff(from: old.orgs, to: new.orgs)
        consumers = EntityDiff(from: old.consumers, to: new.consumers)
        apiKeys = EntityDiff(from: old.apiKeys, to: new.apiKeys)
        jwtKeys = EntityDiff(from: old.jwtKeys, to: new.jwtKeys)
    }

    /// True when no entity was added, removed or changed (versions may still differ).
    public var isEmpty: Bool {
        upstreams.isEmpty && routes.isEmpty && tiers.isEmpty && orgs.isEmpty && consumers.isEmpty && apiKeys.isEmpty
            && jwtKeys.isEmpty
    }

    /// `{"from_version": m, "to_version": n, "upstreams": {...}, "routes": {...}, "tiers": {...},
    /// "orgs": {...}, "consumers": {...}, "api_keys": {...}, "jwt_keys": {...}}`, each as `EntityDiff.jsonValue`.
    public var jsonValue: JSONValue {
        .object([
            .init("from_version", .integer(Int64(fromVersion))),
            .init("to_version", .integer(Int64(toVersion))),
            .init("upstreams", upstreams.jsonValue),
            .init("routes", routes.jsonValue),
            .init("tiers", tiers.jsonValue),
            .init("orgs", orgs.jsonValue),
            .init("consumers", consumers.jsonValue),
            .init("api_keys", apiKeys.jsonValue),
            .init("jwt_keys", jwtKeys.jsonValue),
        ])
    }
}
