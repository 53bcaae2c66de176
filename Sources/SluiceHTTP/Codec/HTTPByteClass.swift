/// Byte classes of the HTTP grammar as bit tests on constants: no tables to load, no allocation,
/// no lazy globals on the hot path. A class is two 64-bit masks, one per half of ASCII.
enum HTTPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C

    /// tchar (RFC 9110 §5.6.2): `!#$%&'*+-.^_`|~`, DIGIT, ALPHA.
    @inline(__always)
    static func isTchar(_ byte: UInt8) -> Bool {
        inMasks(byte, low: 0x03ff_6cfa_0000_0000, high: 0x57ff_ffff_c7ff_fffe)
    }

    /// Bytes a reg-name may hold (RFC 3986 §3.2.2): unreserved, `%` (pct-encoded), sub-delims
    /// except `,` — a comma in Host would let two hosts pass as one, so we refuse it.
    @inline(__always)
    static func isRegNameByte(_ byte: UInt8) -> Bool {
        inMasks(byte, low: 0x2bff_6ff2_0000_0000, high: 0x47ff_fffe_87ff_fffe)
    }

    /// Bytes inside an IP-literal's brackets: unreserved, sub-delims (no `,`), `:`.
    @inline(__always)
    static func isIPLiteralByte(_ byte: UInt8) -> Bool {
        inMasks(byte, low: 0x2fff_6fd2_0000_0000, high: 0x47ff_fffe_87ff_fffe)
    }

    /// field-vchar / SP / HTAB / obs-text (RFC 9110 §5.5): everything but CTLs other than HTAB, and DEL.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == 0x09
    }

    /// A request-target byte: visible ASCII except `#` (a fragment is never sent, RFC 9112 §3.2).
    @inline(__always)
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != 0x23
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if byte &- 0x30 < 10 { return byte &- 0x30 }
        let lower = byte | 0x20
        if lower &- 0x61 < 6 { return lower &- 0x61 &+ 10 }
        return nil
    }

    @inline(__always)
    static func inMasks(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 64 { return (low &>> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (high &>> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }
}
