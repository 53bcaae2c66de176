/// The parameters of one limit, passed with every decision (never stored in the table), so a
/// changed tier limit applies at once to existing buckets and buckets survive config swaps.
///
/// - Token bucket (GCRA): `requestsPerSecond` sustained, `burst` at once. State: one 64-bit
///   theoretical arrival time (TAT) per key. A full bucket and an absent key are the same state.
/// - Sliding window (Cloudflare's approximation): at most `limit` requests per `windowSeconds`,
///   estimated as `previous × (remaining fraction of the current window) + current`. State:
///   two 32-bit counts and the window index. Windows are `[k·w, (k+1)·w)` on the clock the caller
///   passes as `now` (see `RateLimitTable.decide`).
///
/// Compile rules once per config version (they validate and precompute), not per request.
public struct RateLimitRule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case tokenBucket
        case slidingWindow
    }

    /// Slowest accepted rate: one request a year.
    public static let minimumRequestsPerSecond = 1.0 / (366.0 * 86_400.0)
    /// Fastest accepted rate: one request a nanosecond.
    public static let maximumRequestsPerSecond = 1_000_000_000.0
    public static let burstRange = 1...1_000_000_000
    /// Counts are 32-bit in the state word.
    public static let windowLimitRange = 1...Int(UInt32.max - 1)
    public static let windowSecondsRange = 1...(366 * 86_400)

    public let kind: Kind
    /// Token bucket: nanoseconds between two requests at the sustained rate (GCRA's T).
    @usableFromInline let emissionInterval: UInt64
    /// Token bucket: `burst × emissionInterval` (saturating), the most TAT may run ahead of now.
    @usableFromInline let tolerance: UInt64
    /// Token bucket: burst. Sliding window: the limit per window.
    public let quota: UInt64
    /// Sliding window: the window length in seconds (0 for a token bucket).
    public let windowSeconds: UInt32
    /// Sliding window: the window length in milliseconds (the weighting's resolution).
    @usableFromInline let windowMilliseconds: UInt64

    /// A token bucket of `requestsPerSecond` (fractions allowed) and `burst` requests at once.
    public static func tokenBucket(requestsPerSecond: Double, burst: Int) throws(RateLimitRuleError) -> RateLimitRule {
        guard requestsPerSecond.isFinite, requestsPerSecond >= minimumRequestsPerSecond,
              requestsPerSecond <= maximumRequestsPerSecond else {
            throw .requestsPerSecondOutOfRange(requestsPerSecond)
        }
        guard burstRange.contains(burst) else { throw .burstOutOfRange(burst) }
        let interval = max(1, UInt64((1_000_000_000.0 / requestsPerSecond).rounded()))
        let (product, overflow) = interval.multipliedReportingOverflow(by: UInt64(burst))
        let cap: UInt64 = 1 << 62
        return RateLimitRule(kind: .tokenBucket, emissionInterval: interval,
                             tolerance: overflow ? cap : min(product, cap), quota: UInt64(burst),
                             windowSeconds: 0, windowMilliseconds: 0)
    }

    /// At most `limit` requests per `windowSeconds` (60 and 86,400 in practice).
    public static func slidingWindow(limit: Int, windowSeconds: Int) throws(RateLimitRuleError) -> RateLimitRule {
        guard windowLimitRange.contains(limit) else { throw .windowLimitOutOfRange(limit) }
        guard windowSecondsRange.contains(windowSeconds) else { throw .windowSecondsOutOfRange(windowSeconds) }
        return RateLimitRule(kind: .slidingWindow, emissionInterval: 0, tolerance: 0, quota: UInt64(limit),
                             windowSeconds: UInt32(windowSeconds),
                             windowMilliseconds: UInt64(windowSeconds) * 1000)
    }

    /// The policy's `w` parameter (draft-ietf-httpapi-ratelimit-headers): the window for
    /// sliding windows, `ceil(burst / rate)` seconds (at least 1) for a token bucket.
    public var policyWindowSeconds: UInt64 {
        switch kind {
        case .slidingWindow:
            return UInt64(windowSeconds)
        case .tokenBucket:
            return max(1, (tolerance + 999_999_999) / 1_000_000_000)
        }
    }

    /// Which state slot of a key this rule uses: all token buckets of a key share one slot (so
    /// a changed rate or burst applies to the existing bucket), each window length has its own.
    @inlinable
    var slotKind: UInt64 { UInt64(windowSeconds) }
}
