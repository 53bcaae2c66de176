/// What changed from one snapshot to another, per entity kind: the body of the control plane's
/// `GET /v1/versions/{n}/diff?against={m}`. A value; computing it is linear in the snapshots' size.
public struct SnapshotDiff: Sendable, Equatable {
    public var fromVersion: Int
    public var toVersion: Int
    public var upstreams: EntityDiff
    public var routes: EntityDiff
    public var tiers: EntityDiff
    public var consumers: EntityDiff
    public var jwtKeys: EntityDiff

    public init(from old: Snapshot, to new: Snapshot) {
        fromVersion = old.version
        toVersion = new.version
        upstreams = EntityDiff(from: old.upstreams, to: new.upstreams)
        routes = EntityDiff(from: old.routes, to: new.routes)
        tiers = EntityDiff(from: old.tiers, to: new.tiers)
        consumers = EntityDiff(from: old.consumers, to: new.consumers)
        jwtKeys = EntityDiff(from: old.jwtKeys, to: new.jwtKeys)
    }

    /// True when no entity was added, removed or changed (versions may still differ).
    public var isEmpty: Bool {
        upstreams.isEmpty && routes.isEmpty && tiers.isEmpty && consumers.isEmpty && jwtKeys.isEmpty
    }

    /// `{"from_version": m, "to_version": n, "upstreams": {...}, "routes": {...}, "tiers": {...},
    /// "consumers": {...}, "jwt_keys": {...}}`, each as `EntityDiff.jsonValue`.
    public var jsonValue: JSONValue {
        .object([
            .init("from_version", .integer(Int64(fromVersion))),
            .init("to_version", .integer(Int64(toVersion))),
            .init("upstreams", upstreams.jsonValue),
            .init("routes", routes.jsonValue),
            .init("tiers", tiers.jsonValue),
            .init("consumers", consumers.jsonValue),
            .init("jwt_keys", jwtKeys.jsonValue),
        ])
    }
}
