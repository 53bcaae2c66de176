extension Snapshot {
    /// The canonical JSON tree: keys in the order of shared/DESIGN.md §4a (`format`, `version`,
    /// `upstreams`, `routes`, `tiers`, `orgs`, `consumers`, `api_keys`, `jwt_keys`; each entity in its documented field
    /// order), every defaulted field written, absent optionals omitted, entities in array order.
    public var jsonValue: JSONValue {
        .object([
            .init("format", .integer(Int64(Snapshot.format))),
            .init("version", .integer(Int64(version))),
            .init("upstreams", .array(upstreams.map(\.jsonValue))),
            .init("routes", .array(routes.map(\.jsonValue))),
            .init("tiers", .array(tiers.map(\.jsonValue))),
            .init("orgs", .array(orgs.map(\.jsonValue))),
            .init("consumers", .array(consumers.map(\.jsonValue))),
            .init("api_keys", .array(apiKeys.map(\.jsonValue))),
            .init("jwt_keys", .array(jwtKeys.map(\.jsonValue))),
        ])
    }

    /// Canonical compact JSON: equal snapshots give equal bytes, so a hash of these bytes
    /// identifies a configuration. `SnapshotDecoder.decode(canonicalJSON())` equals `self`.
    public func canonicalJSON() -> [UInt8] {
        JSONWriter.compact(jsonValue)
    }

    /// The canonical tree, indented for people (files, `sluicectl`).
    public func prettyJSON() -> [UInt8] {
        JSONWriter.pretty(jsonValue)
    }
}
