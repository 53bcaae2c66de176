/// A read-only view of bytes owned by someone else: a request head in the connection's read
/// buffer, a body chunk, trailers. Zero-copy.
///
/// Lifetime (the one rule of this buffer type): a `ByteView` is valid only during the callback
/// that received it; keep nothing of it afterwards except copies (`copyBytes()`, `string`).
/// Bounds are checked on every access, so misuse of ranges traps instead of reading stray memory.
public struct ByteView {
    /// Not `Sendable`: a view never leaves the loop (and the callback) it was handed to.
    public let bytes: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public static var empty: ByteView { ByteView(UnsafeRawBufferPointer(start: nil, count: 0)) }

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }

    @inline(__always)
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < bytes.count, "ByteView index out of range")
        return bytes[index]
    }

    /// The sub-view for `range` (e.g. a `HTTPField.valueRange` of a head parsed from this view).
    @inline(__always)
    public subscript(range: Range<Int>) -> ByteView {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "ByteView range out of bounds")
        return ByteView(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// Compares with an ASCII literal, ignoring ASCII case (for field names and tokens).
    public func equalsCaseInsensitive(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard expected.count == bytes.count else { return false }
            for index in 0..<expected.count where expected[index] | 0x20 != bytes[index] | 0x20 {
                // Only letters fold; other bytes must match exactly.
                let byte = bytes[index]
                let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
                if !isLetter || expected[index] | 0x20 != byte | 0x20 { return false }
            }
            return true
        }
    }

    /// Compares with an ASCII literal byte for byte.
    public func equals(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            expected.count == bytes.count && expected.elementsEqual(bytes)
        }
    }

    /// A copy that may outlive the callback.
    public func copyBytes() -> [UInt8] { Array(bytes) }

    /// A copy as a `String` (cold paths: logs, tests).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
