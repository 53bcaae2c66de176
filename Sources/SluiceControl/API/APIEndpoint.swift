/// What a matched route does. One case per operation of the API (the router maps method + path to
/// it; `ControlAPI` performs it).
public enum APIEndpoint: Sendable, Equatable, Hashable {
    case health
    case metrics
    case openAPI
    case listEntities(EntityKind)
    case createEntity(EntityKind)
    case getEntity(EntityKind)
    case replaceEntity(EntityKind)
    case deleteEntity(EntityKind)
    case listAPIKeys
    case createAPIKey
    case deleteAPIKey
    case validateConfig
    case publishVersion
    case listVersions
    case getVersion
    case diffVersions
    case rollbackVersion
    case listDataplanes
    case listAudit
    case dataplaneSnapshot
    case dataplaneStatus
}

/// Which bearer token a route accepts.
public enum APIAccess: Sendable, Equatable {
    /// No token (`/health`).
    case open
    /// Admin tokens (environment/file token or tokens stored in the database).
    case admin
    /// The data-plane token.
    case dataplane
}
