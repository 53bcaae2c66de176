/// The (key, rule) pairs of one request's rate-limit check, and after `RateLimitTable.decide`
/// each pair's state for the response headers.
///
/// Caller-owned and reusable: keep one per worker thread, `removeAll()` it per request and
/// `append` the pairs (tier + org + route limits, typically 1–9). Appending within `capacity`
/// never allocates. Not shared between threads (a plain value; pass it `inout`).
public struct RateLimitBatch {
    @usableFromInline
    struct Pair {
        @usableFromInline var key: RateLimitKey      // the slot key (subject key × rule kind)
        @usableFromInline var rule: RateLimitRule
        @usableFromInline var policy: RateLimitPolicyName
        @usableFromInline var slot = 0
        @usableFromInline var observedFirst: UInt64 = 0
        @usableFromInline var observedSecond: UInt64 = 0
        @usableFromInline var desiredFirst: UInt64 = 0
        @usableFromInline var desiredSecond: UInt64 = 0
        @usableFromInline var verdict = RateLimitRule.Verdict.allow
        /// The state the headers describe: after consumption if allowed, as found if refused.
        @usableFromInline var resultFirst: UInt64 = 0
        @usableFromInline var resultSecond: UInt64 = 0

        @usableFromInline
        init(key: RateLimitKey, rule: RateLimitRule, policy: RateLimitPolicyName) {
            self.key = key
            self.rule = rule
            self.policy = policy
        }
    }

    @usableFromInline var pairs: [Pair]
    /// The `now` of the last decision (what `remaining`/`resetSeconds` are relative to).
    @usableFromInline var decidedAt: UInt64 = 0

    /// A batch with room for `capacity` pairs before it would allocate again.
    public init(capacity: Int = 16) {
        pairs = []
        pairs.reserveCapacity(capacity)
    }

    public var count: Int { pairs.count }

    /// Forgets all pairs, keeping the storage.
    @inlinable
    public mutating func removeAll() {
        pairs.removeAll(keepingCapacity: true)
    }

    /// Adds one limit to check: `key` is the subject (user, org, IP, route+identity), `rule`
    /// the current parameters, `policy` the header name. All token-bucket rules of one key share
    /// one bucket, so pass at most one per key; a key's windows of different lengths are separate.
    @inlinable
    public mutating func append(key: RateLimitKey, rule: RateLimitRule, policy: RateLimitPolicyName) {
        pairs.append(Pair(key: key.slotKey(kind: rule.slotKind), rule: rule, policy: policy))
    }

    public func rule(at index: Int) -> RateLimitRule { pairs[index].rule }
    public func policy(at index: Int) -> RateLimitPolicyName { pairs[index].policy }

    /// After a decision: whether pair `index` refused the request.
    public func isRefusing(at index: Int) -> Bool {
        if case .refuse = pairs[index].verdict { return true }
        return false
    }

    /// After a decision: pair `index`'s `r` (requests it would still allow) and `t` (seconds
    /// until its quota resets), computed together.
    public func status(at index: Int) -> (remaining: UInt64, reset: UInt64) {
        let pair = pairs[index]
        return pair.rule.status(first: pair.resultFirst, second: pair.resultSecond, now: decidedAt)
    }

    /// After a decision: requests pair `index` would still allow (the header's `r`).
    public func remaining(at index: Int) -> UInt64 { status(at: index).remaining }

    /// After a decision: seconds until pair `index`'s quota resets (the header's `t`).
    public func resetSeconds(at index: Int) -> UInt64 { status(at: index).reset }
}
