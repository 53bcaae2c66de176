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
            if index > 0 { appendSeparator(to: &bytes) }
            let rule = batch.rule(at: index)
            bytes.append(contentsOf: batch.policy(at: index).quotedBytes)
            appendParameter(0x71, to: &bytes)  // q
            appendDecimal(rule.quota, to: &bytes)
            appendParameter(0x77, to: &bytes)  // w
            appendDecimal(rule.policyWindowSeconds, to: &bytes)
        }
    }

    /// Appends the `RateLimit` field value for the pairs `selection` names.
    public static func appendRateLimit(of batch: RateLimitBatch, selection: Selection = .mostRestrictive,
                                       to bytes: inout [UInt8]) {
        switch selection {
        case .all:
            for index in 0..<batch.count {
                if index > 0 { appendSeparator(to: &bytes) }
                let status = batch.status(at: index)
                appendItem(of: batch, at: index, remaining: status.remaining, reset: status.reset, to: &bytes)
            }
        case .mostRestrictive:
            guard batch.count > 0 else { return }
            var best = 0
            var (bestRemaining, bestReset) = batch.status(at: 0)
            for index in 1..<batch.count {
                let (remaining, reset) = batch.status(at: index)
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
        appendParameter(0x72, to: &bytes)  // r
        appendDecimal(remaining, to: &bytes)
        appendParameter(0x74, to: &bytes)  // t
        appendDecimal(reset, to: &bytes)
    }

    /// Appends `value` in decimal ASCII (divisions by the constant 10 only: no hardware divide).
    @inline(__always)
    static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var packed: UInt128 = 0  // BCD, least significant digit in the low nibble
        var rest = value
        var count = 0
        repeat {
            packed = packed << 4 | UInt128(rest % 10)
            rest /= 10
            count += 1
        } while rest > 0
        for _ in 0..<count {
            bytes.append(0x30 | UInt8(truncatingIfNeeded: packed & 0xF))
            packed >>= 4
        }
    }

    @inline(__always)
    static func appendParameter(_ name: UInt8, to bytes: inout [UInt8]) {
        bytes.append(0x3B)  // ";"
        bytes.append(name)
        bytes.append(0x3D)  // "="
    }

    @inline(__always)
    static func appendSeparator(to bytes: inout [UInt8]) {
        bytes.append(0x2C)  // ","
        bytes.append(0x20)
    }
}
