/// A snapshot as decoded, each entity list possibly incomplete.
struct PartialSnapshot {
    var version = 0
    var upstreams = PartialList<UpstreamConfig>()
    var routes = PartialList<RouteConfig>()
    var tiers = PartialList<TierConfig>()
    var orgs = PartialList<OrgConfig>()
    var consumers = PartialList<ConsumerConfig>()
    var apiKeys = PartialList<APIKeyConfig>()
    var jwtKeys = PartialList<JWTKeyConfig>()

    init(_ snapshot: Snapshot) {
        version = snapshot.version
        upstreams.entities = snapshot.upstreams
        routes.entities = snapshot.routes
        tiers.entities = snapshot.tiers
        orgs.entities = snapshot.orgs
        consumers.entities = snapshot.consumers
        apiKeys.entities = snapshot.apiKeys
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
        orgs = decoding.entities(object, "orgs", element: OrgConfig.decode)
        consumers = decoding.entities(object, "consumers", element: ConsumerConfig.decode)
        apiKeys = decoding.entities(object, "api_keys", element: APIKeyConfig.decode)
        jwtKeys = decoding.entities(object, "jwt_keys", element: JWTKeyConfig.decode)
    }

    static let fields = ["format", "version", "upstreams", "routes", "tiers", "orgs", "consumers", "api_keys", "jwt_keys"]

    /// The complete snapshot, or nil if any entity failed to decode.
    var snapshot: Snapshot? {
        guard upstreams.isComplete, routes.isComplete, tiers.isComplete, orgs.isComplete, consumers.isComplete,
              apiKeys.isComplete, jwtKeys.isComplete else { return nil }
        return Snapshot(version: version, upstreams: upstreams.entities, routes: routes.entities,
                        tiers: tiers.entities, orgs: orgs.entities, consumers: consumers.entities,
                        apiKeys: apiKeys.entities, jwtKeys: jwtKeys.entities)
    }
}
