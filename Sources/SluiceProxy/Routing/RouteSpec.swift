/// What the route table needs to know of one route: where it matches. The table's answers are
/// indices into the array of specs it was built from, so the caller keeps everything else
/// (upstream, timeouts, auth) in its own parallel array.
///
/// - `hosts`: exact host names (compared ASCII case-insensitively) and `*.suffix` wildcards
///   (`*.example.com` matches `a.example.com` and `a.b.example.com`, not `example.com`); empty
///   matches any host.
/// - `pathPrefix`: starts with `/`; matched on segment boundaries; a trailing `/` is ignored.
/// - `methods`: method tokens (case-sensitive, RFC 9110 §9.1); empty allows every method.
public struct RouteSpec: Sendable, Equatable {
    public var hosts: [String]
    public var pathPrefix: String
    public var methods: [String]

    public init(hosts: [String] = [], pathPrefix: String = "/", methods: [String] = []) {
        self.hosts = hosts
        self.pathPrefix = pathPrefix
        self.methods = methods
    }
}
