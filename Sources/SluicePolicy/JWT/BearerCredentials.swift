/// Finds the token in an `Authorization` field value (RFC 6750 §2.1):
/// `credentials = "Bearer" 1*SP b64token`, the scheme compared case-insensitively (RFC 9110
/// §11.1). Leading and trailing spaces/tabs of the field value are ignored (RFC 9110 §5.5 OWS).
/// Pure slicing: no copy, no allocation; the token is scanned for spaces eight bytes at a time
/// (it runs on every authenticated request, over tokens of several hundred bytes).
public enum BearerCredentials {
    /// `bearer` in lowercase, one byte each.
    private static let scheme: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x62, 0x65, 0x61, 0x72, 0x65, 0x72)

    /// The token bytes within `fieldValue`, or nil when it is not Bearer credentials with a
    /// non-empty token (another scheme, `Bearer` alone, or a token with spaces inside).
    public static func token(in fieldValue: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var start = 0
        var end = fieldValue.count
        while start < end, isOWS(fieldValue[start]) { start += 1 }
        while end > start, isOWS(fieldValue[end - 1]) { end -= 1 }
        guard end - start > 7,
              fieldValue[start] | 0x20 == scheme.0, fieldValue[start + 1] | 0x20 == scheme.1,
              fieldValue[start + 2] | 0x20 == scheme.2, fieldValue[start + 3] | 0x20 == scheme.3,
              fieldValue[start + 4] | 0x20 == scheme.4, fieldValue[start + 5] | 0x20 == scheme.5,
              fieldValue[start + 6] == UInt8(ascii: " ") else { return nil }
        var tokenStart = start + 7
        while tokenStart < end, fieldValue[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
        guard tokenStart < end else { return nil }
        let token = UnsafeRawBufferPointer(rebasing: fieldValue[tokenStart..<end])
        guard !containsOWS(token) else { return nil }
        return token
    }

    /// Whether `bytes` holds a space or a tab: a word-at-a-time zero-byte test (bytes equal to
    /// 0x20 or 0x09 become zero after the XOR), then the tail byte by byte.
    static func containsOWS(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let spaces = ones &* 0x20
        let tabs = ones &* 0x09
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let a = word ^ spaces
            let b = word ^ tabs
            if ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs) != 0 { return true }
            offset += 8
        }
        while offset < bytes.count {
            if isOWS(bytes[offset]) { return true }
            offset += 1
        }
        return false
    }

    @inline(__always)
    private static func isOWS(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
