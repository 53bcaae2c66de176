/// Makes `RateLimitKey`s: a keyed 128-bit digest of (scope, identity): 64 bits from the stdlib
/// `Hasher` (SipHash, seeded per process, plus this builder's random seed) and 64 bits from an
/// independent seeded mix (see `Digest`).
///
/// Create one per process (`RateLimitKeyBuilder()`), share it (it is an immutable `Sendable`
/// value) and call `key(scope:identity:)` per request: no allocation, no locks, O(bytes).
/// Scope and identity are length-delimited, so ("ab", "c") and ("a", "bc") differ.
/// Scopes the integrator uses: `user`, `org`, `ip`, `route:<route name>` (never the tier name).
public struct RateLimitKeyBuilder: Sendable {
    @usableFromInline let seedHigh: UInt64
    @usableFromInline let seedLow: UInt64

    /// A builder with a fresh random seed (the normal case: once per process).
    public init() {
        var generator = SystemRandomNumberGenerator()
        self.init(seedHigh: generator.next(), seedLow: generator.next())
    }

    /// A builder with a fixed seed (tests). Keys are comparable only within one process, since
    /// `Hasher` itself is seeded per process.
    public init(seedHigh: UInt64, seedLow: UInt64) {
        self.seedHigh = seedHigh
        // The two digests must start from different states even if both seeds are equal.
        self.seedLow = seedLow ^ 0x5555_5555_5555_5555
    }

    /// The key of `identity` within `scope`.
    public func key(scope: Span<UInt8>, identity: Span<UInt8>) -> RateLimitKey {
        var digest = Digest(seedHigh: seedHigh, seedLow: seedLow)
        digest.absorb(scope)
        digest.absorb(identity)
        return digest.finish()
    }

    /// Convenience for arrays (e.g. a scope constant and identity bytes from a parsed header).
    public func key(scope: [UInt8], identity: [UInt8]) -> RateLimitKey {
        key(scope: scope.span, identity: identity.span)
    }

    /// Convenience for strings (configuration time and tests; the UTF-8 bytes are hashed).
    public func key(scope: String, identity: String) -> RateLimitKey {
        key(scope: scope.utf8.span, identity: identity.utf8.span)
    }

    /// The same 8-byte words fed to a SipHash state (stdlib `Hasher`, keyed per process: the
    /// half an attacker cannot steer) and to a seeded multiply-fold mix (independent of it, so
    /// the two halves together make accidental collisions ~2⁻¹²⁷ at half the cost of two SipHashes).
    struct Digest {
        var high = Hasher()
        var low: UInt64

        init(seedHigh: UInt64, seedLow: UInt64) {
            high.combine(seedHigh)
            low = seedLow
        }

        mutating func absorb(_ bytes: Span<UInt8>) {
            let count = bytes.count
            var index = 0
            while index + 8 <= count {
                var word: UInt64 = 0
                for offset in 0..<8 {
                    word |= UInt64(bytes[index + offset]) << (UInt64(offset) * 8)
                }
                combine(word)
                index += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            combine(tail)
            combine(UInt64(count))  // length delimiter: makes the concatenation unambiguous
        }

        mutating func combine(_ word: UInt64) {
            high.combine(word)
            low = Digest.fold(low ^ word, 0x9E37_79B9_7F4A_7C15)
        }

        /// The 128-bit product's halves XORed (wyhash's "mum"): every input bit reaches every
        /// output bit.
        @inline(__always)
        static func fold(_ value: UInt64, _ multiplier: UInt64) -> UInt64 {
            let product = value.multipliedFullWidth(by: multiplier)
            return product.high ^ product.low
        }

        consuming func finish() -> RateLimitKey {
            RateLimitKey(high: UInt64(UInt(bitPattern: high.finalize())),
                         low: Digest.fold(low ^ 0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB))
        }
    }
}
