/// A growable byte buffer for building log lines on the request path: appends are a capacity
/// check and a `memcpy` (no uniqueness check, no generic `append(contentsOf:)`), which matters at
/// some 40 appends per access log line. Clearly marked buffer type: it owns raw memory.
/// Unsafe-pointer use is safe because `storage` is allocated here with `capacity` bytes, only
/// ever written below `count` after `reserve` made room, never escapes (`copyBytes` copies out),
/// is freed once in `deinit`, and the class is confined to one thread (not `Sendable`).
///
/// Memory: grows by doubling when a line does not fit (bounded by what its owner appends before
/// `removeAll`; the access log flushes at a fixed size).
public final class LogLineBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    public private(set) var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int) {
        self.capacity = max(capacity, 256)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deallocate()
    }

    public var isEmpty: Bool { count == 0 }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    public func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity = newCapacity
    }

    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count &+= 1
    }

    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count &+= bytes.count
    }

    @inline(__always)
    public func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    // Formats, written once in `JSONText` for every `ByteSink`.

    /// A decimal integer.
    public func append(decimal value: Int) {
        var sink = self
        JSONText.appendInteger(value, to: &sink)
    }

    public func append(unsigned value: UInt64) {
        var sink = self
        JSONText.appendUnsigned(value, to: &sink)
    }

    /// Milliseconds from nanoseconds with three decimals (`12.345`).
    public func append(millisecondsOf nanoseconds: UInt64) {
        var sink = self
        JSONText.appendMilliseconds(nanoseconds: nanoseconds, to: &sink)
    }

    /// JSON string contents (RFC 8259 §7), see `JSONText`: runs without escapes are copied whole.
    /// With `escapingHighBytes`, bytes of 0x80 and above become `\u00XX` (raw request bytes);
    /// without, they pass (valid UTF-8 from a `String`).
    public func appendJSONEscaped(_ bytes: UnsafeRawBufferPointer, escapingHighBytes: Bool = true) {
        var sink = self
        JSONText.appendEscaped(bytes, escapingHighBytes: escapingHighBytes, to: &sink)
    }

    public func appendJSONEscaped(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendJSONEscaped($0) }
    }

    public func appendJSONEscaped(_ string: String) {
        var sink = self
        JSONText.appendEscaped(string, to: &sink)
    }

    /// The bytes so far, copied into an array.
    public func copyBytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: storage, count: count))
    }

    /// Forgets the content; keeps the capacity.
    public func removeAll() {
        count = 0
    }
}
