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

    /// A decimal integer.
    public func append(decimal value: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            append(unsigned: UInt64(0 &- Int64(value)))
        } else {
            append(unsigned: UInt64(value))
        }
    }

    public func append(unsigned value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        reserve(digits)
        var remaining = value
        var index = count &+ digits
        repeat {
            index &-= 1
            storage[index] = 0x30 &+ UInt8(remaining % 10)
            remaining /= 10
        } while remaining > 0
        count &+= digits
    }

    /// Milliseconds from nanoseconds with three decimals (`12.345`).
    public func append(millisecondsOf nanoseconds: UInt64) {
        let micros = nanoseconds / 1000
        append(unsigned: micros / 1000)
        let fraction = Int(micros % 1000)
        reserve(4)
        storage[count] = UInt8(ascii: ".")
        storage[count &+ 1] = 0x30 &+ UInt8(fraction / 100)
        storage[count &+ 2] = 0x30 &+ UInt8(fraction / 10 % 10)
        storage[count &+ 3] = 0x30 &+ UInt8(fraction % 10)
        count &+= 4
    }

    /// JSON string contents (RFC 8259 §7), see `JSONText`: runs without escapes are copied whole.
    /// With `escapingHighBytes`, bytes of 0x80 and above become `\u00XX` (raw request bytes);
    /// without, they pass (valid UTF-8 from a `String`).
    public func appendJSONEscaped(_ bytes: UnsafeRawBufferPointer, escapingHighBytes: Bool = true) {
        var runStart = 0
        var index = 0
        let total = bytes.count
        while index < total {
            let byte = bytes[index]
            // Plain: 0x20...0x7E except `"` and `\`, and (for `String`s) any byte of a multi-byte character.
            let printable = (byte &- 0x20) < 0x5F || (byte >= 0x80 && !escapingHighBytes)
            if !printable || byte == 0x22 || byte == 0x5C {
                if index > runStart { append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
                appendJSONEscape(byte)
                runStart = index + 1
            }
            index += 1
        }
        if total > runStart { append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<total])) }
    }

    public func appendJSONEscaped(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendJSONEscaped($0) }
    }

    public func appendJSONEscaped(_ string: String) {
        var string = string
        string.withUTF8 { appendJSONEscaped(UnsafeRawBufferPointer($0), escapingHighBytes: false) }
    }

    private func appendJSONEscape(_ byte: UInt8) {
        var escaped: [UInt8] = []
        JSONText.appendEscape(byte, to: &escaped)
        append(escaped)
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
