import SluiceConfig

/// The six kinds of configuration entity the admin API edits, one per `/v1/<pathName>` collection.
public enum EntityKind: String, Sendable, CaseIterable {
    case upstreams
    case routes
    case tiers
    case orgs
    case consumers
    case jwtKeys = "jwt-keys"

    /// The URL path segment: `upstreams`, `routes`, `tiers`, `orgs`, `consumers`, `jwt-keys`.
    public var pathName: String { rawValue }

    /// The kind for a path segment, or nil.
    public init?(pathName: String) { self.init(rawValue: pathName) }

    /// The identifying field of the entity's JSON: `name`, `id` (orgs, consumers) or `kid` (JWT keys).
    public var keyName: String {
        switch self {
        case .upstreams: UpstreamConfig.identityKey
        case .routes: RouteConfig.identityKey
        case .tiers: TierConfig.identityKey
        case .orgs: OrgConfig.identityKey
        case .consumers: ConsumerConfig.identityKey
        case .jwtKeys: JWTKeyConfig.identityKey
        }
    }

    /// The snapshot member holding this kind: `upstreams`, …, `jwt_keys`.
    public var collectionKey: String {
        switch self {
        case .upstreams: UpstreamConfig.collectionKey
        case .routes: RouteConfig.collectionKey
        case .tiers: TierConfig.collectionKey
        case .orgs: OrgConfig.collectionKey
        case .consumers: ConsumerConfig.collectionKey
        case .jwtKeys: JWTKeyConfig.collectionKey
        }
    }

    /// One entity in words, for messages: `upstream`, `route`, `tier`, `consumer`, `JWT key`.
    public var singular: String {
        switch self {
        case .upstreams: "upstream"
        case .routes: "route"
        case .tiers: "tier"
        case .orgs: "org"
        case .consumers: "consumer"
        case .jwtKeys: "JWT key"
        }
    }
}
