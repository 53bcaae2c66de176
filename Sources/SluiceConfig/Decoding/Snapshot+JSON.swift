extension Snapshot {
    /// The canonical JSON tree: keys in the order of shared/DESIGN.md §4a (`format`, `version`,
    /// `upstreams`, `routes`, `tiers`, `consumers`, `jwt_keys`; each entity in its documented field
    /// order), every defaulted field written, absent optionals omitted, entities in array order.
    public var jsonValue: JSONValue {
        .object([
            .init("format", .integer(Int64(Snapshot.format))),
            .init("version", .integer(Int64(version))),
            .init("upstreams", .array(upstreams.map(\.jsonValue))),
            .init("routes", .array(routes.map(\.jsonValue))),
            .init("tiers", .array(tiers.map(\.jsonValue))),
            .init("consumers", .array(consumers.map(\.jsonValue))),
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

/// A snapshot as decoded, with entities that failed to decode kept as nil at their positions
/// (so that later checks report correct indices and know what they cannot judge).
struct PartialSnapshot {
    var version = 0
    var upstreams: [UpstreamConfig?] = []
    var routes: [RouteConfig?] = []
    var tiers: [TierConfig?] = []
    var consumers: [ConsumerConfig?] = []
    var jwtKeys: [JWTKeyConfig?] = []

    init(_ snapshot: Snapshot) {
        version = snapshot.version
        upstreams = snapshot.upstreams
        routes = snapshot.routes
        tiers = snapshot.tiers
        consumers = snapshot.consumers
        jwtKeys = snapshot.jwtKeys
    }

    /// Decodes the top level, then each entity (with its own checks). Returns nil when the
    /// document is not an object or has an unsupported format.
    init?(_ value: JSONValue, into decoding: inout ConfigDecoding) {
        let fields = ["format", "version", "upstreams", "routes", "tiers", "consumers", "jwt_keys"]
        guard case .object = value else {
            decoding.report("", "expected object, found \(value.typeName)")
            return nil
        }
        // A different format may have a different shape: report only the format then.
        if case .integer(let format)? = value["format"], format != Int64(Snapshot.format) {
            decoding.report("/format", "unsupported format \(format)")
            return nil
        }
        guard let object = decoding.object(value, at: "", fields: fields) else { return nil }
        _ = decoding.integer(object, "format", required: true)  // its value was checked above
        if let version = decoding.integer(object, "version") {
            self.version = version
            if version < 0 { decoding.report("/version", "version must be ≥ 0") }
        }
        upstreams = decoding.optionalElements(object, "upstreams", element: UpstreamConfig.decode) ?? []
        routes = decoding.optionalElements(object, "routes", element: RouteConfig.decode) ?? []
        tiers = decoding.optionalElements(object, "tiers", element: TierConfig.decode) ?? []
        consumers = decoding.optionalElements(object, "consumers", element: ConsumerConfig.decode) ?? []
        jwtKeys = decoding.optionalElements(object, "jwt_keys", element: JWTKeyConfig.decode) ?? []
    }

    /// The complete snapshot, or nil if any entity failed to decode.
    var snapshot: Snapshot? {
        func all<Entity>(_ entities: [Entity?]) -> [Entity]? {
            var result: [Entity] = []
            result.reserveCapacity(entities.count)
            for entity in entities {
                guard let entity else { return nil }
                result.append(entity)
            }
            return result
        }
        guard let upstreams = all(upstreams), let routes = all(routes), let tiers = all(tiers),
              let consumers = all(consumers), let jwtKeys = all(jwtKeys) else { return nil }
        return Snapshot(version: version, upstreams: upstreams, routes: routes, tiers: tiers,
                        consumers: consumers, jwtKeys: jwtKeys)
    }
}
