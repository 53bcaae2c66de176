/// Syntax of `uri-host [":" port]` (RFC 9110 §7.2, RFC 3986 §3.2.2–3.2.3), used for Host values,
/// absolute-form authorities and CONNECT targets. Userinfo is refused (RFC 9110 §4.2.4), and so is
/// `,` in a reg-name: it is a legal sub-delim but lets two hosts pass as one.
enum HTTPHostSyntax {
    /// `buffer[start..<end]` is a valid host with optional port. An empty value is valid only with
    /// `allowEmpty` (Host may be empty, RFC 9112 §3.2); `requirePort` is for authority-form.
    static func isValid(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                        allowEmpty: Bool, requirePort: Bool) -> Bool {
        if start == end { return allowEmpty && !requirePort }
        var index = start
        if buffer[index] == UInt8(ascii: "[") {
            index &+= 1
            let literalStart = index
            while index < end, HTTPByteClass.isIPLiteralByte(buffer[index]) { index &+= 1 }
            guard index < end, buffer[index] == UInt8(ascii: "]"), index > literalStart else { return false }
            index &+= 1
        } else {
            while index < end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "%") {
                    // pct-encoded = "%" HEXDIG HEXDIG
                    guard index &+ 2 < end, HTTPByteClass.hexValue(buffer[index &+ 1]) != nil,
                          HTTPByteClass.hexValue(buffer[index &+ 2]) != nil else { return false }
                    index &+= 3
                } else if HTTPByteClass.isRegNameByte(byte) {
                    index &+= 1
                } else {
                    break
                }
            }
            guard index > start else { return false }
        }
        if index == end { return !requirePort }
        guard buffer[index] == HTTPByteClass.colon else { return false }
        index &+= 1
        let digits = end &- index
        // port = *DIGIT; we also refuse more than 5 digits.
        guard digits <= 5, !requirePort || digits > 0 else { return false }
        while index < end {
            guard HTTPByteClass.isDigit(buffer[index]) else { return false }
            index &+= 1
        }
        return true
    }
}
