import SluiceConfig

/// An entity body checked by its kind's own rules: identity, the name it references (a route's
/// upstream, a consumer's tier) and its canonical JSON.
struct DecodedEntity {
    var id: String
    var reference: String?
    var canonical: JSONValue

    /// The canonical JSON as stored (compact text).
    var jsonText: String { String(decoding: JSONWriter.compact(canonical), as: UTF8.self) }

    var row: EntityRow { EntityRow(key: id, reference: reference, json: jsonText) }

    /// Decodes `json` as a `kind`; problems have pointers relative to the entity.
    init(_ kind: EntityKind, _ json: JSONValue) throws(ConfigError) {
        switch kind {
        case .upstreams:
            let entity = try UpstreamConfig(json: json)
            self.init(id: entity.identity, reference: nil, canonical: entity.jsonValue)
        case .routes:
            let entity = try RouteConfig(json: json)
            self.init(id: entity.identity, reference: entity.upstream, canonical: entity.jsonValue)
        case .tiers:
            let entity = try TierConfig(json: json)
            self.init(id: entity.identity, reference: nil, canonical: entity.jsonValue)
        case .orgs:
            let entity = try OrgConfig(json: json)
            self.init(id: entity.identity, reference: nil, canonical: entity.jsonValue)
        case .consumers:
            let entity = try ConsumerConfig(json: json)
            self.init(id: entity.identity, reference: entity.tier, canonical: entity.jsonValue)
        case .jwtKeys:
            let entity = try JWTKeyConfig(json: json)
            self.init(id: entity.identity, reference: nil, canonical: entity.jsonValue)
        }
    }

    private init(id: String, reference: String?, canonical: JSONValue) {
        self.id = id
        self.reference = reference
        self.canonical = canonical
    }

    /// The JSON of every entity in `snapshot` of `kind`, in order.
    static func entities(of kind: EntityKind, in snapshot: Snapshot) -> [JSONValue] {
        switch kind {
        case .upstreams: snapshot.upstreams.map(\.jsonValue)
        case .routes: snapshot.routes.map(\.jsonValue)
        case .tiers: snapshot.tiers.map(\.jsonValue)
        case .orgs: snapshot.orgs.map(\.jsonValue)
        case .consumers: snapshot.consumers.map(\.jsonValue)
        case .jwtKeys: snapshot.jwtKeys.map(\.jsonValue)
        }
    }
}

extension EntityKind {
    var table: EntityTable {
        switch self {
        case .upstreams: .upstreams
        case .routes: .routes
        case .tiers: .tiers
        case .orgs: .orgs
        case .consumers: .consumers
        case .jwtKeys: .jwtKeys
        }
    }
}
