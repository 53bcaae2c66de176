/// Which requests go to which upstream, and under what rules.
///
/// - `hosts`: exact lowercase host names (or IPv4 addresses) and `*.suffix` wildcards, no ports;
///   empty matches any host.
/// - `pathPrefix`: starts with `/`; matches on segment boundaries (`/api` matches `/api` and
///   `/api/x`, not `/apix`). No `?`, `#`, `//`, `.` or `..` segments; a trailing `/` is removed by
///   `init` and by decoding (except for `/` itself).
/// - `methods`: uppercase method tokens without duplicates; empty allows every method.
/// - `stripPrefix`: the upstream sees the path with `pathPrefix` removed (`/` if nothing is left).
/// - `timeoutMilliseconds`: 1…3,600,000 (default 30,000), for connecting and for the response head.
/// - `maxBodyBytes`: 0…2^40 (default 1 MiB); larger request bodies get 413. 0 refuses any body.
/// - `auth`: which credentials the route requires.
/// - `apiKeyHeader`: the request header an API key is read from (default `X-API-Key`); an HTTP
///   field name, not hop-by-hop, framing, `Authorization`, `Host`, `X-Forwarded-*`,
///   `X-Request-Id` or `X-Consumer-*` (see `HeaderNameSyntax`).
/// - `claimsToHeaders`: JWT claims sent to the upstream as request headers, in order, at most 32,
///   header names by the same rules, unique ignoring case and different from `apiKeyHeader`; only
///   on routes whose `auth` accepts a JWT.
/// - `rateLimit`: the route's own per-identity limits, or nil.
public struct RouteConfig: Sendable, Equatable {
    public static let defaultTimeoutMilliseconds = 30_000
    public static let timeoutMillisecondsRange = 1...3_600_000
    public static let defaultMaxBodyBytes = 1 << 20
    public static let maxBodyBytesRange = 0...(1 << 40)
    public static let defaultAPIKeyHeader = "X-API-Key"
    public static let maximumClaimsToHeaders = 32

    public var name: String
    public var hosts: [String]
    public var pathPrefix: String
    public var methods: [String]
    public var stripPrefix: Bool
    public var upstream: String
    public var timeoutMilliseconds: Int
    public var maxBodyBytes: Int
    public var auth: RouteAuth
    public var apiKeyHeader: String
    public var claimsToHeaders: [ClaimHeader]
    public var rateLimit: RouteRateLimitConfig?

    public init(name: String, hosts: [String] = [], pathPrefix: String = "/", methods: [String] = [],
                stripPrefix: Bool = false, upstream: String,
                timeoutMilliseconds: Int = RouteConfig.defaultTimeoutMilliseconds,
                maxBodyBytes: Int = RouteConfig.defaultMaxBodyBytes, auth: RouteAuth = .none,
                apiKeyHeader: String = RouteConfig.defaultAPIKeyHeader, claimsToHeaders: [ClaimHeader] = [],
                rateLimit: RouteRateLimitConfig? = nil) {
        self.name = name
        self.hosts = hosts
        self.pathPrefix = RouteConfig.normalizedPathPrefix(pathPrefix)
        self.methods = methods
        self.stripPrefix = stripPrefix
        self.upstream = upstream
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxBodyBytes = maxBodyBytes
        self.auth = auth
        self.apiKeyHeader = apiKeyHeader
        self.claimsToHeaders = claimsToHeaders
        self.rateLimit = rateLimit
    }

    /// `prefix` without one trailing `/`, unless it is `/` itself.
    public static func normalizedPathPrefix(_ prefix: String) -> String {
        if prefix.utf8.count > 1 && prefix.utf8.last == UInt8(ascii: "/") {
            return String(prefix.dropLast())
        }
        return prefix
    }
}
