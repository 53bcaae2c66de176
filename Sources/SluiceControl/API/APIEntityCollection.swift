/// The five entity collections of the admin API, by their path segment, and the name of the key
/// that identifies one entity in its path and JSON object.
public enum APIEntityCollection: String, Sendable, CaseIterable {
    case upstreams
    case routes
    case tiers
    case consumers
    case jwtKeys = "jwt-keys"

    /// `name` for upstreams, routes and tiers, `id` for consumers, `kid` for JWT keys.
    public var keyName: String {
        switch self {
        case .upstreams, .routes, .tiers: "name"
        case .consumers: "id"
        case .jwtKeys: "kid"
        }
    }

    /// `/v1/upstreams`.
    public var collectionPath: String { "/v1/" + rawValue }
    /// `/v1/upstreams/{name}`.
    public var itemPath: String { collectionPath + "/{" + keyName + "}" }
}
