import COpenSSL

/// The SHA-256 of an API key, as the snapshot's `api_keys[].sha256` holds it: the data plane
/// never sees the keys themselves, only their hashes, and looks a presented key up by hashing it.
///
/// A value type (four words, `Hashable` for a dictionary lookup). The dictionary's `==` is
/// constant-time (`ConstantTimeBytes`-style OR of differences), so a lookup leaks nothing about
/// how close a guess came; and since the table is keyed by SHA-256, finding which bucket a guess
/// lands in tells an attacker nothing about any stored key either.
public struct APIKeyDigest: Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// The digest of `key` (OpenSSL one-shot `EVP_Digest`, no allocation).
    public init(hashing key: UnsafeRawBufferPointer) {
        var output = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var length: UInt32 = 0
        // EVP_Digest reads `key.count` bytes and writes exactly 32 bytes (SHA-256) into `output`,
        // which is 32 bytes long. It fails only on allocation failure of the built-in digest.
        let ok = withUnsafeMutableBytes(of: &output) { out in
            EVP_Digest(key.baseAddress, key.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                       &length, EVP_sha256(), nil)
        }
        if ok != 1 || length != 32 { output = (0, 0, 0, 0) }  // matches no stored key
        words = output
    }

    /// A stored digest (32 bytes; anything else gives a digest no key hashes to in practice).
    public init(bytes: [UInt8]) {
        var output = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &output) { out in
            for (index, byte) in bytes.prefix(32).enumerated() { out[index] = byte }
        }
        words = output
    }

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    public static func == (lhs: APIKeyDigest, rhs: APIKeyDigest) -> Bool {
        ((lhs.words.0 ^ rhs.words.0) | (lhs.words.1 ^ rhs.words.1)
            | (lhs.words.2 ^ rhs.words.2) | (lhs.words.3 ^ rhs.words.3)) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}
