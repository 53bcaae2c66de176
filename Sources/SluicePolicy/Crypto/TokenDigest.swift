import COpenSSL

/// The SHA-256 of a token's bytes (OpenSSL's one-shot `SHA256`), the key of the verified-token
/// cache. Collision resistance is what makes the cache safe: no attacker-chosen token can land
/// on another token's entry without a SHA-256 collision.
///
/// A plain value (four words), no allocation.
struct TokenDigest: Hashable {
    var word0: UInt64
    var word1: UInt64
    var word2: UInt64
    var word3: UInt64

    init(of bytes: UnsafeRawBufferPointer) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { output in
            _ = SHA256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                       output.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        (word0, word1, word2, word3) = words
    }

    /// The words are already uniformly distributed; hashing two of them through the process's
    /// seeded `Hasher` is enough for the dictionary (equality still compares all four).
    func hash(into hasher: inout Hasher) {
        hasher.combine(word0)
        hasher.combine(word1)
    }
}
