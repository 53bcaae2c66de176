import SluiceConfig

/// The per-route settings a worker needs on the hot path, resolved from a `RouteConfig`.
public struct CompiledRoute: Sendable {
    public var name: String
    /// Index into `CompiledConfig.upstreams`.
    public var upstreamIndex: Int
    /// Bytes removed from the front of the path when `strip_prefix` is set: the prefix length, or
    /// 0 (no stripping, or the prefix is `/`).
    public var stripLength: Int
    /// Connect plus response-head timeout, in nanoseconds.
    public var timeoutNanoseconds: UInt64
    public var maxBodyBytes: Int
    public var auth: RouteAuth
    /// The compiled traffic policy (credentials, claims forwarded, own limits); nil when the policy
    /// step has nothing to do for this route: no credentials to check and no limit that may apply
    /// (its own, or the `anonymous` tier for unauthenticated traffic).
    var policy: RoutePolicy?

    public init(name: String, upstreamIndex: Int, stripLength: Int, timeoutNanoseconds: UInt64,
                maxBodyBytes: Int, auth: RouteAuth) {
        self.name = name
        self.upstreamIndex = upstreamIndex
        self.stripLength = stripLength
        self.timeoutNanoseconds = timeoutNanoseconds
        self.maxBodyBytes = maxBodyBytes
        self.auth = auth
    }
}
