/// Exact (case-sensitive) byte comparisons for start lines.
enum HTTPRequestLineBytes {
    /// `buffer[start...]` begins with `literal`; the caller checked there are enough bytes.
    @inline(__always)
    static func equals(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes in
            var index = 0
            while index < bytes.count {
                if buffer[start &+ index] != bytes[index] { return false }
                index &+= 1
            }
            return true
        }
    }
}
