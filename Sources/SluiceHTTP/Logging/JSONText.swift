/// Appends JSON string contents (RFC 8259 §7) and numbers to a `ByteSink` without going through
/// `String`: for log lines built on the hot path. The caller writes the surrounding quotes.
public enum JSONText {
    @usableFromInline
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Escapes `"`, `\` and control characters (`\n`, `\r`, `\t`, else `\u00XX`). Bytes of 0x80 and
    /// above are written as `\u00XX` too, so the output is valid UTF-8 (ASCII) whatever the input
    /// (request bytes are ASCII after strict parsing; this only guards the log's syntax).
    /// Runs that need no escape are copied whole.
    @inlinable
    public static func appendEscapedBytes<Sink: ByteSink>(_ bytes: UnsafeRawBufferPointer, to out: inout Sink) {
        appendEscaped(bytes, escapingHighBytes: true, to: &out)
    }

    /// As `appendEscapedBytes`, for an array.
    @inlinable
    public static func appendEscapedBytes<Sink: ByteSink>(_ bytes: [UInt8], to out: inout Sink) {
        bytes.withUnsafeBytes { appendEscaped($0, escapingHighBytes: true, to: &out) }
    }

    /// Escapes a `String` (valid UTF-8): `"`, `\`, DEL and control characters; other characters as they are.
    public static func appendEscaped<Sink: ByteSink>(_ string: String, to out: inout Sink) {
        var string = string
        string.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), escapingHighBytes: false, to: &out) }
    }

    @inlinable
    public static func appendEscaped<Sink: ByteSink>(_ bytes: UnsafeRawBufferPointer, escapingHighBytes: Bool,
                                                     to out: inout Sink) {
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            let plain = byte >= 0x20 && byte != 0x22 && byte != 0x5C && byte != 0x7F && (byte < 0x80 || !escapingHighBytes)
            if !plain {
                if index > runStart { out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
                appendEscape(byte, to: &out)
                runStart = index + 1
            }
            index += 1
        }
        if count > runStart { out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<count])) }
    }

    @usableFromInline
    static func appendEscape<Sink: ByteSink>(_ byte: UInt8, to out: inout Sink) {
        out.append(0x5C)
        switch byte {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            out.append(UInt8(ascii: "u"))
            out.append(0x30)
            out.append(0x30)
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }

    /// A decimal integer.
    @inlinable
    public static func appendInteger<Sink: ByteSink>(_ value: Int, to out: inout Sink) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendUnsigned(UInt64(0 &- Int64(value)), to: &out)
        } else {
            appendUnsigned(UInt64(value), to: &out)
        }
    }

    @inlinable
    public static func appendUnsigned<Sink: ByteSink>(_ value: UInt64, to out: inout Sink) {
        if value < 10 {
            out.append(0x30 &+ UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                count += 1
                buffer[20 - count] = 0x30 &+ UInt8(rest % 10)
                rest /= 10
            }
            out.append(UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    /// Milliseconds from nanoseconds with three decimals (`12.345`), for durations.
    @inlinable
    public static func appendMilliseconds<Sink: ByteSink>(nanoseconds: UInt64, to out: inout Sink) {
        let micros = nanoseconds / 1000
        appendUnsigned(micros / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        let fraction = Int(micros % 1000)
        out.append(0x30 &+ UInt8(fraction / 100))
        out.append(0x30 &+ UInt8(fraction / 10 % 10))
        out.append(0x30 &+ UInt8(fraction % 10))
    }
}
