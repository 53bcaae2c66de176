import COpenSSL

/// Byte comparison whose time does not depend on where the inputs differ (`CRYPTO_memcmp`), so
/// comparing an attacker's bytes with a secret or a cached token leaks nothing through timing.
enum ConstantTimeBytes {
    /// True when both buffers have the same length and bytes. The length itself is not secret.
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return lhs.count == 0 }
        return CRYPTO_memcmp(left, right, lhs.count) == 0
    }
}
