import COpenSSL

/// Comparisons whose duration does not depend on where secrets differ (OpenSSL `CRYPTO_memcmp`).
/// Use for every token and key check. Safe from any thread.
public enum ConstantTime {
    /// True when `a` and `b` are equal. The time depends only on the lengths (and returns false
    /// at once when the lengths differ, which reveals only the length).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        // Both buffers hold `a.count` bytes; CRYPTO_memcmp reads exactly that many from each.
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }

    /// True when two secret strings are equal, for tokens from the environment. Both are hashed
    /// with SHA-256 first and the digests compared in constant time, so not even the length of
    /// the expected secret leaks.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(SHA256Digest.hash(Array(a.utf8)), SHA256Digest.hash(Array(b.utf8)))
    }
}
