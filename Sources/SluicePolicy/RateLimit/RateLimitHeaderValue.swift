/// Renders the rate-limit response header values (draft-ietf-httpapi-ratelimit-headers,
/// structured fields per RFC 8941) from a decided `RateLimitBatch`, appending bytes to a
/// caller-owned reusable `[UInt8]`: no `String`, no allocation once the buffer has grown.
///
/// - `RateLimit-Policy: "burst";q=100;w=1, "daily";q=1000;w=86400` — every pair, in order;
/// - `RateLimit: "burst";r=42;t=1` — every pair, or only the one closest to refusing;
/// - `Retry-After: 7` — delta-seconds (RFC 9110 §10.2.3).
public enum RateLimitHeaderValue {
    /// Which pairs the `RateLimit` field lists.
    public enum Selection: Sendable {
        /// Every pair, in batch order.
        case all
        /// Only the pair with the fewest remaining requests (ties: the longest reset; then the
        /// first). On a refusal this is a refusing limit.
        case mostRestrictive
    }

    /// Appends the `RateLimit-Policy` field value (nothing for an empty batch).
    public static func appendPolicy(of batch: RateLimitBatch, to bytes: inout [UInt8]) {
        for index in 0..<batch.count {
            if index > 0 { bytes.append(0x2C); bytes.append(0x20) }  // ", "
            let rule = batch.rule(at: index)
            bytes.append(contentsOf: batch.policy(at: index).quotedBytes)
            bytes.append(0x3B); bytes.append(0x71); bytes.append(0x3D)  // ";q="
            appendDecimal(rule.quota, to: &bytes)
            bytes.append(0x3B); bytes.append(0x77); bytes.append(0x3D)  // ";w="
            appendDecimal(rule.policyWindowSeconds, to: &bytes)
        }
    }

    /// Appends the `RateLimit` field value for the pairs `selection` names.
    public static func appendRateLimit(of batch: RateLimitBatch, selection: Selection = .mostRestrictive,
                                       to bytes: inout [UInt8]) {
        switch selection {
        case .all:
            for index in 0..<batch.count {
                if index > 0 { bytes.append(0x2C); bytes.append(0x20) }
                appendItem(of: batch, at: index, remaining: batch.remaining(at: index),
                           reset: batch.resetSeconds(at: index), to: &bytes)
            }
        case .mostRestrictive:
            guard batch.count > 0 else { return }
            var best = 0
            var bestRemaining = batch.remaining(at: 0)
            var bestReset = batch.resetSeconds(at: 0)
            for index in 1..<batch.count {
                let remaining = batch.remaining(at: index)
                let reset = batch.resetSeconds(at: index)
                if remaining < bestRemaining || (remaining == bestRemaining && reset > bestReset) {
                    best = index
                    bestRemaining = remaining
                    bestReset = reset
                }
            }
            appendItem(of: batch, at: best, remaining: bestRemaining, reset: bestReset, to: &bytes)
        }
    }

    /// Appends a `Retry-After` delta-seconds value.
    public static func appendRetryAfter(seconds: UInt64, to bytes: inout [UInt8]) {
        appendDecimal(seconds, to: &bytes)
    }

    private static func appendItem(of batch: RateLimitBatch, at index: Int, remaining: UInt64, reset: UInt64,
                                   to bytes: inout [UInt8]) {
        bytes.append(contentsOf: batch.policy(at: index).quotedBytes)
        bytes.append(0x3B); bytes.append(0x72); bytes.append(0x3D)  // ";r="
        appendDecimal(remaining, to: &bytes)
        bytes.append(0x3B); bytes.append(0x74); bytes.append(0x3D)  // ";t="
        appendDecimal(reset, to: &bytes)
    }

    /// Appends `value` in decimal ASCII.
    static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(0x30 + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
