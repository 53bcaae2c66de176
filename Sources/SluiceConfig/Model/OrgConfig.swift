/// An organisation whose consumers share limits: a consumer's `org` may name one, and a request
/// by that consumer must then pass both the consumer's limits and the org's (shared by every
/// consumer of the org). A consumer's `org` naming no org is allowed (it then has no org limit).
///
/// `id` follows the consumer id rules (1…256 characters, no control characters); `limits` has at
/// least one limit set.
public struct OrgConfig: Sendable, Equatable {
    public var id: String
    public var limits: RateLimits

    public init(id: String, limits: RateLimits) {
        self.id = id
        self.limits = limits
    }
}
