/// The policy names rendered in `RateLimit-Policy` / `RateLimit` (shared policy contract):
/// tier limits `burst`, `minute`, `daily`; org limits `org-…`; route limits `route-…`.
public enum RateLimitPolicyName: UInt8, Sendable, CaseIterable {
    case burst, minute, daily
    case orgBurst, orgMinute, orgDaily
    case routeBurst, routeMinute, routeDaily

    /// The name as an sf-string, quotes included (e.g. `"org-burst"`), ready to append.
    public var quotedBytes: [UInt8] { RateLimitPolicyName.quoted[Int(rawValue)] }

    private static let quoted: [[UInt8]] = [
        "burst", "minute", "daily", "org-burst", "org-minute", "org-daily",
        "route-burst", "route-minute", "route-daily",
    ].map { Array("\"\($0)\"".utf8) }
}
