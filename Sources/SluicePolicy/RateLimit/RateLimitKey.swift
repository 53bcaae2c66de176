/// The identity of one rate-limit subject: a 128-bit keyed digest of (scope, identity bytes).
///
/// Built by `RateLimitKeyBuilder` (per-process random seed), so two distinct subjects collide
/// with probability about 2⁻¹²⁷ and a client cannot choose identities that collide. The key
/// never contains a tier name or limit parameters: changing a tier keeps the subject's buckets.
/// One key may carry several limits (a token bucket and windows of different lengths); the
/// table keeps one state per (key, limit kind), see `RateLimitRule`.
public struct RateLimitKey: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    /// A key from raw digest words (tests, or a digest computed elsewhere). The zero key is
    /// reserved for empty table slots, so bit 0 of `low` is forced to 1 (127 effective bits).
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low | 1
    }

    /// The table-slot key for this subject and one limit kind: the digest XOR a per-kind
    /// constant, so the kinds of one subject are independent slots (and land in different shards).
    @inlinable
    func slotKey(kind discriminator: UInt64) -> RateLimitKey {
        let d = discriminator &+ 1
        return RateLimitKey(high: high ^ (d &* 0x9E37_79B9_7F4A_7C15),
                            low: low ^ ((d &* 0xC2B2_AE3D_27D4_EB4F) << 1))
    }
}
