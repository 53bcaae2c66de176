import SluicePolicy

/// The policy state that outlives config versions, shared by every worker of a process: the
/// rate-limit table (buckets survive swaps; a changed limit applies to existing buckets) and the
/// trusted proxies whose `X-Forwarded-For` names the client. Made once per process
/// (`ProxyProcess`) or per test harness, and handed to every `ProxyHandler`.
///
/// `Sendable`: the table is built for concurrent use, the rest is immutable.
public final class PolicyRuntime: Sendable {
    /// `--rate-limit-keys` default: 262,144 slots × 40 bytes ≈ 10 MiB, reserved at start (the slot
    /// pages become resident only as keys use them).
    public static let defaultRateLimitKeys = 262_144

    public let rateLimits: RateLimitTable
    public let trustedProxies: TrustedProxies

    public init(rateLimitKeys: Int = PolicyRuntime.defaultRateLimitKeys, trustedProxies: TrustedProxies = TrustedProxies()) {
        rateLimits = RateLimitTable(maxKeys: rateLimitKeys)
        self.trustedProxies = trustedProxies
    }
}
