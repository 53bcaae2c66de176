/// Finds the token in an `Authorization` field value (RFC 6750 §2.1):
/// `credentials = "Bearer" 1*SP b64token`, the scheme compared case-insensitively (RFC 9110
/// §11.1). Leading and trailing spaces/tabs of the field value are ignored (RFC 9110 §5.5 OWS).
/// Pure slicing: no copy, no allocation, and no scan of the token itself (it runs on every
/// authenticated request, over tokens of several hundred bytes): a token with a space inside is
/// returned whole and refused by the verifier, whose cache matches only whole verified tokens
/// and whose base64url decoding admits no space.
public enum BearerCredentials {
    /// `bearer` in lowercase, one byte each.
    private static let scheme: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x62, 0x65, 0x61, 0x72, 0x65, 0x72)

    /// The token bytes within `fieldValue` (everything after `Bearer` and its spaces, without
    /// trailing OWS), or nil when it is not Bearer credentials with a non-empty token (another
    /// scheme, `Bearer` alone, `Bearer` followed by a tab).
    public static func token(in fieldValue: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let (start, end) = schemeStart(in: fieldValue), end - start > 7,
              fieldValue[start + 6] == UInt8(ascii: " ") else { return nil }
        var tokenStart = start + 7
        while tokenStart < end, fieldValue[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
        guard tokenStart < end else { return nil }
        let token = UnsafeRawBufferPointer(rebasing: fieldValue[tokenStart..<end])
        return token
    }

    /// Whether the value uses the Bearer scheme at all (`Bearer` alone, or followed by a space):
    /// then the token decides, right or wrong; otherwise other credentials may.
    public static func hasScheme(in fieldValue: UnsafeRawBufferPointer) -> Bool {
        guard let (start, end) = schemeStart(in: fieldValue) else { return false }
        return end - start == 6 || fieldValue[start + 6] == UInt8(ascii: " ")
    }

    /// The value's bounds without surrounding OWS, when it starts with `bearer` in any case.
    private static func schemeStart(in fieldValue: UnsafeRawBufferPointer) -> (start: Int, end: Int)? {
        var start = 0
        var end = fieldValue.count
        while start < end, isOWS(fieldValue[start]) { start += 1 }
        while end > start, isOWS(fieldValue[end - 1]) { end -= 1 }
        guard end - start >= 6,
              fieldValue[start] | 0x20 == scheme.0, fieldValue[start + 1] | 0x20 == scheme.1,
              fieldValue[start + 2] | 0x20 == scheme.2, fieldValue[start + 3] | 0x20 == scheme.3,
              fieldValue[start + 4] | 0x20 == scheme.4, fieldValue[start + 5] | 0x20 == scheme.5 else { return nil }
        return (start, end)
    }

    @inline(__always)
    private static func isOWS(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
