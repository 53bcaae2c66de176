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

/// The entities of one kind that decoded, with their positions in the document when some did
/// not (so that later checks report correct indices and know what they cannot judge).
struct PartialList<Entity> {
    var entities: [Entity] = []
    /// Document positions of `entities`; nil when every element decoded (positions are indices).
    var positions: [Int]?

    var isComplete: Bool { positions == nil }

    func position(_ index: Int) -> Int { positions?[index] ?? index }
}

/// A snapshot as decoded, each entity list possibly incomplete.
struct PartialSnapshot {
    var version = 0
    var upstreams = PartialList<UpstreamConfig>()
    var routes = PartialList<RouteConfig>()
    var tiers = PartialList<TierConfig>()
    var consumers = PartialList<ConsumerConfig>()
    var jwtKeys = PartialList<JWTKeyConfig>()

    init(_ snapshot: Snapshot) {
        version = snapshot.version
        upstreams.entities = snapshot.upstreams
        routes.entities = snapshot.routes
        tiers.entities = snapshot.tiers
        consumers.entities = snapshot.consumers
        jwtKeys.entities = snapshot.jwtKeys
    }

    /// Decodes the top level, then each entity (with its own checks). Returns nil when the
    /// document is not an object or has an unsupported format.
    init?(_ value: JSONValue, into decoding: inout ConfigDecoding) {
        guard case .object = value else {
            decoding.report("", "expected object, found \(value.typeName)")
            return nil
        }
        // A different format may have a different shape: report only the format then.
        if case .integer(let format)? = value["format"], format != Int64(Snapshot.format) {
            decoding.report("/format", "unsupported format \(format)")
            return nil
        }
        guard let object = decoding.object(value, at: "", fields: PartialSnapshot.fields) else { return nil }
        _ = decoding.integer(object, "format", required: true)  // its value was checked above
        if let version = decoding.integer(object, "version") {
            self.version = version
            if version < 0 { decoding.report("/version", "version must be ≥ 0") }
        }
        upstreams = decoding.entities(object, "upstreams", element: UpstreamConfig.decode)
        routes = decoding.entities(object, "routes", element: RouteConfig.decode)
        tiers = decoding.entities(object, "tiers", element: TierConfig.decode)
        consumers = decoding.entities(object, "consumers", element: ConsumerConfig.decode)
        jwtKeys = decoding.entities(object, "jwt_keys", element: JWTKeyConfig.decode)
    }

    static let fields = ["format", "version", "upstreams", "routes", "tiers", "consumers", "jwt_keys"]

    /// The complete snapshot, or nil if any entity failed to decode.
    var snapshot: Snapshot? {
        guard upstreams.isComplete, routes.isComplete, tiers.isComplete, consumers.isComplete,
              jwtKeys.isComplete else { return nil }
        return Snapshot(version: version, upstreams: upstreams.entities, routes: routes.entities,
                        tiers: tiers.entities, consumers: consumers.entities, jwtKeys: jwtKeys.entities)
    }
}
