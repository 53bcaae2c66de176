/// Somewhere log text is appended to, byte by byte or in runs: a `[UInt8]` (event logs, tests)
/// or a `LogLineBuffer` (access log lines on the request path). `JSONText` and `TimestampText`
/// write through it, so each format is written once for both.
public protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeRawBufferPointer)
}

extension Array: ByteSink where Element == UInt8 {
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes)
    }
}

extension LogLineBuffer: ByteSink {}
