import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes` (seeded from the OS).
/// Safe from any thread.
public enum SecureRandom {
    /// `count` random bytes, or nil when OpenSSL's generator failed (it then has no entropy).
    public static func bytes(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        // RAND_bytes writes exactly `count` bytes into the buffer, which holds `count` bytes.
        let ok = bytes.withUnsafeMutableBytes { buffer in
            RAND_bytes(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(buffer.count))
        }
        return ok == 1 ? bytes : nil
    }
}
