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
    /// A constant table (one ASCII `1`/`0` per byte value below 128) measured faster than the
    /// mask test in the field-name loop, the hottest loop of the parser.
    @inline(__always)
    static func isTchar(_ byte: UInt8) -> Bool {
        byte < 0x80 && tcharTable.withUTF8Buffer { $0[Int(byte)] } == 0x31
    }

    @inline(__always)
    static var tcharTable: StaticString {
        "00000000000000000000000000000000010111110011011011111111110000000111111111111111111111111110001111111111111111111111111111101010"
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

    /// All eight bytes of `word` are field-value bytes other than HTAB (SWAR: no byte below 0x20, none
    /// equal to 0x7F; bytes from 0x80 are obs-text and allowed). False means "check byte by byte".
    @inline(__always)
    static func allFieldValueBytes(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let belowSpace = (word &- ones &* 0x20) & ~word & highs
        let del = word ^ (ones &* 0x7F)
        let isDel = (del &- ones) & ~del & highs
        return belowSpace | isDel == 0
    }

    /// All eight bytes of `word` are the tchars field names are usually made of: letters, digits
    /// and `-` (SWAR range tests; no carry crosses bytes because every byte is below 0x80 first).
    /// False means "check byte by byte".
    @inline(__always)
    static func allCommonNameBytes(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lower = word | (ones &* 0x20)
        let letter = (lower &+ ones &* (0x80 - 0x61)) & ~(lower &+ ones &* (0x7F - 0x7A))
        let digit = (word &+ ones &* (0x80 - 0x30)) & ~(word &+ ones &* (0x7F - 0x39))
        let dashBits = word ^ (ones &* 0x2D)
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let dash = ~(((dashBits & low7) &+ low7) | dashBits)
        return word & highs == 0 && (letter | digit | dash) & highs == highs
    }

    /// All eight bytes of `word` are target bytes other than `?` (SWAR: each in 0x21...0x7E, none is
    /// `#` or `?`). False means "check byte by byte".
    @inline(__always)
    static func allPlainTargetBytes(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let belowBang = (word &- ones &* 0x21) & ~word & highs
        let del = word ^ (ones &* 0x7F)
        let hash = word ^ (ones &* 0x23)
        let question = word ^ (ones &* 0x3F)
        let special = ((del &- ones) & ~del) | ((hash &- ones) & ~hash) | ((question &- ones) & ~question)
        return (belowBang | (special & highs) | (word & highs)) == 0
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
