import SluiceHTTP

/// Maps method + path to a route of the immutable route table. `HEAD` is routed as `GET`.
/// Built once; `Sendable`, read concurrently by every loop. A lookup is linear in the table
/// (about 40 routes, admin traffic only).
public struct APIRouter: Sendable {
    public let routes: [APIRoute]

    public init(routes: [APIRoute] = APIRouter.table) {
        self.routes = routes
    }

    public enum Match: Sendable {
        case route(APIRoute, parameters: [String: String])
        /// The path exists with other methods (for `Allow`, in table order).
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    public func match(method: HTTPMethod, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard path.hasPrefix("/") else { return .notFound }
        let wanted: HTTPMethod = method == .HEAD ? .GET : method
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = route.match(segments) else { continue }
            if route.method == wanted { return .route(route, parameters: parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// `Allow` field value for a 405: the methods, plus HEAD wherever GET is allowed.
    static func allowValue(_ methods: [HTTPMethod]) -> String {
        var names = methods.map(\.name)
        if methods.contains(.GET) { names.append("HEAD") }
        return names.joined(separator: ", ")
    }

    /// Every route of the API. The OpenAPI document (`OpenAPIDocument`) lists the same set; a test
    /// walks both against each other.
    public static let table: [APIRoute] = {
        var routes: [APIRoute] = [
            APIRoute(.GET, "/health", .health, access: .open),
            APIRoute(.GET, "/metrics", .metrics, access: .open),
            APIRoute(.GET, "/v1/openapi.json", .openAPI),
        ]
        for collection in EntityKind.allCases {
            routes.append(APIRoute(.GET, collection.collectionPath, .listEntities(collection)))
            routes.append(APIRoute(.POST, collection.collectionPath, .createEntity(collection)))
            routes.append(APIRoute(.GET, collection.itemPath, .getEntity(collection)))
            routes.append(APIRoute(.PUT, collection.itemPath, .replaceEntity(collection)))
            routes.append(APIRoute(.DELETE, collection.itemPath, .deleteEntity(collection)))
        }
        routes += [
            APIRoute(.GET, "/v1/consumers/{id}/api-keys", .listAPIKeys),
            APIRoute(.POST, "/v1/consumers/{id}/api-keys", .createAPIKey),
            APIRoute(.DELETE, "/v1/consumers/{id}/api-keys/{key_id}", .deleteAPIKey),
            APIRoute(.POST, "/v1/config/validate", .validateConfig),
            APIRoute(.GET, "/v1/versions", .listVersions),
            APIRoute(.POST, "/v1/versions", .publishVersion),
            APIRoute(.GET, "/v1/versions/{n}", .getVersion),
            APIRoute(.GET, "/v1/versions/{n}/diff", .diffVersions),
            APIRoute(.POST, "/v1/versions/{n}/rollback", .rollbackVersion),
            APIRoute(.GET, "/v1/dataplanes", .listDataplanes),
            APIRoute(.GET, "/v1/audit", .listAudit),
            APIRoute(.GET, "/v1/dataplane/snapshot", .dataplaneSnapshot, access: .dataplane),
            APIRoute(.POST, "/v1/dataplane/status", .dataplaneStatus, access: .dataplane),
        ]
        return routes
    }()
}
