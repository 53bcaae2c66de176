/// Byte comparison whose time does not depend on where the inputs differ, so comparing an
/// attacker's bytes with a cached token leaks nothing through timing. Eight bytes at a time
/// (OpenSSL's `CRYPTO_memcmp` goes byte by byte: ~1 cycle per byte, most of a cache hit).
///
/// Raw loads are bounds-checked by construction: offsets stay below `count - 7`, the tail is
/// read byte by byte.
enum ConstantTimeBytes {
    /// True when both buffers have the same length and bytes. The length itself is not secret.
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        let count = lhs.count
        var difference: UInt64 = 0
        var offset = 0
        while offset + 8 <= count {
            difference |= lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                ^ rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            difference |= UInt64(lhs[offset] ^ rhs[offset])
            offset += 1
        }
        return difference == 0
    }
}
