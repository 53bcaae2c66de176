extension RouteConfig: SnapshotEntity {
    public static let collectionKey = "routes"
    public static let identityKey = "name"
    public var identity: String { name }

    /// Every field, defaults included; `rate_limit` only when set.
    public var jsonValue: JSONValue {
        var members: [JSONValue.Member] = [
            .init("name", .string(name)),
            .init("hosts", .array(hosts.map { .string($0) })),
            .init("path_prefix", .string(pathPrefix)),
            .init("methods", .array(methods.map { .string($0) })),
            .init("strip_prefix", .bool(stripPrefix)),
            .init("upstream", .string(upstream)),
            .init("timeout_ms", .integer(Int64(timeoutMilliseconds))),
            .init("max_body_bytes", .integer(Int64(maxBodyBytes))),
            .init("auth", .string(auth.rawValue)),
            .init("api_key_header", .string(apiKeyHeader)),
            .init("claims_to_headers", .object(claimsToHeaders.map { .init($0.claim, .string($0.header)) })),
        ]
        if let rateLimit { members.append(.init("rate_limit", rateLimit.jsonValue)) }
        return .object(members)
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["name", "hosts", "path_prefix", "methods", "strip_prefix", "upstream",
                         "timeout_ms", "max_body_bytes", "auth", "api_key_header", "claims_to_headers", "rate_limit"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> RouteConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let name = decoding.string(object, "name", required: true)
        let hosts = decoding.stringArray(object, "hosts")
        let pathPrefix = decoding.string(object, "path_prefix")
        let methods = decoding.stringArray(object, "methods")
        let stripPrefix = decoding.bool(object, "strip_prefix")
        let upstream = decoding.string(object, "upstream", required: true)
        let timeout = decoding.integer(object, "timeout_ms")
        let maxBodyBytes = decoding.integer(object, "max_body_bytes")
        let auth: RouteAuth? = decoding.choice(object, "auth")
        let apiKeyHeader = decoding.string(object, "api_key_header")
        let claims = decoding.stringMembers(object, "claims_to_headers")
        var rateLimit: RouteRateLimitConfig?
        if let limit = decoding.value(object, "rate_limit", required: false) {
            rateLimit = RouteRateLimitConfig.decode(limit, at: object.pointer("rate_limit"), into: &decoding)
        }
        guard decoding.problems.count == before, let name, let upstream else { return nil }
        let route = RouteConfig(name: name, hosts: hosts ?? [], pathPrefix: pathPrefix ?? "/", methods: methods ?? [],
                                stripPrefix: stripPrefix ?? false, upstream: upstream,
                                timeoutMilliseconds: timeout ?? RouteConfig.defaultTimeoutMilliseconds,
                                maxBodyBytes: maxBodyBytes ?? RouteConfig.defaultMaxBodyBytes, auth: auth ?? .none,
                                apiKeyHeader: apiKeyHeader ?? RouteConfig.defaultAPIKeyHeader,
                                claimsToHeaders: (claims ?? []).map { ClaimHeader(claim: $0.key, header: $0.value) },
                                rateLimit: rateLimit)
        // Check the prefix as written, so that "/a//" is refused rather than normalised to "/a/";
        // the entity's own checks then see the normalised prefix, and must not repeat the report.
        guard let pathPrefix, let message = FieldSyntax.pathPrefixProblem(pathPrefix, allowTrailingSlash: true) else {
            return route.checked(at: pointer, into: &decoding)
        }
        let prefixPointer = object.pointer("path_prefix")
        decoding.report(prefixPointer, message)
        decoding.problems += route.problems(at: pointer).filter { $0.pointer != prefixPointer }
        return route
    }
}
