/// Finds the token in an `Authorization` field value (RFC 6750 §2.1):
/// `credentials = "Bearer" 1*SP b64token`, the scheme compared case-insensitively (RFC 9110
/// §11.1). Leading and trailing spaces/tabs of the field value are ignored (RFC 9110 §5.5 OWS).
/// Pure slicing: no copy, no allocation.
public enum BearerCredentials {
    /// The token bytes within `fieldValue`, or nil when it is not Bearer credentials with a
    /// non-empty token (another scheme, `Bearer` alone, or a token with spaces inside).
    public static func token(in fieldValue: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var start = 0
        var end = fieldValue.count
        while start < end, isOWS(fieldValue[start]) { start += 1 }
        while end > start, isOWS(fieldValue[end - 1]) { end -= 1 }
        let scheme = "bearer".utf8
        guard end - start > scheme.count else { return nil }
        for (offset, expected) in scheme.enumerated() where fieldValue[start + offset] | 0x20 != expected {
            return nil
        }
        var tokenStart = start + scheme.count
        guard fieldValue[tokenStart] == UInt8(ascii: " ") else { return nil }
        while tokenStart < end, fieldValue[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
        guard tokenStart < end else { return nil }
        let token = UnsafeRawBufferPointer(rebasing: fieldValue[tokenStart..<end])
        guard !token.contains(where: isOWS) else { return nil }
        return token
    }

    private static func isOWS(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
