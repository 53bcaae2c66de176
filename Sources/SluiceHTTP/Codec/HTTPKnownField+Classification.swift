extension HTTPKnownField {
    /// Classifies the field name `buffer[start..<end]` case-insensitively (RFC 9110 §5.1) without
    /// allocating: a switch on the length, then one lowercase byte comparison against a literal.
    /// The name must already be a valid token (only then does `| 0x20` lowercase it safely).
    /// With `framingLookalikes`, `Content_Length` and `Transfer_Encoding` are classified as the
    /// framing fields they imitate, so that `HTTPFramingFields.record` refuses them (see
    /// `isFramingLookalike`); the test costs nothing on other names.
    @inline(__always)
    static func classify(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                         framingLookalikes: Bool = false) -> HTTPKnownField {
        let first = buffer[start] | 0x20
        switch end &- start {
        case 2:
            return matches(buffer, start, "te") ? .te : .other
        case 4:
            if first == UInt8(ascii: "h") { return matches(buffer, start, "host") ? .host : .other }
            return matches(buffer, start, "date") ? .date : .other
        case 6:
            if first == UInt8(ascii: "e") { return matches(buffer, start, "expect") ? .expect : .other }
            return matches(buffer, start, "server") ? .server : .other
        case 7:
            if first == UInt8(ascii: "u") { return matches(buffer, start, "upgrade") ? .upgrade : .other }
            return matches(buffer, start, "trailer") ? .trailer : .other
        case 10:
            if first == UInt8(ascii: "c") { return matches(buffer, start, "connection") ? .connection : .other }
            return matches(buffer, start, "keep-alive") ? .keepAlive : .other
        case 12:
            if first == UInt8(ascii: "c") { return matches(buffer, start, "content-type") ? .contentType : .other }
            return matches(buffer, start, "x-request-id") ? .xRequestID : .other
        case 13:
            if first == UInt8(ascii: "a") { return matches(buffer, start, "authorization") ? .authorization : .other }
            return matchesIdentityName(buffer, start, "x-consumer-id") ? .xConsumerID : .other
        case 14:
            if matches(buffer, start, "content-length") { return .contentLength }
            return framingLookalikes && isFramingLookalike(buffer, start, end) ? .contentLength : .other
        case 15:
            if buffer[start &+ 2] | 0x20 == UInt8(ascii: "f") {
                return matches(buffer, start, "x-forwarded-for") ? .xForwardedFor : .other
            }
            return matchesIdentityName(buffer, start, "x-consumer-tier") ? .xConsumerTier : .other
        case 16:
            if first == UInt8(ascii: "p") {
                return matches(buffer, start, "proxy-connection") ? .proxyConnection : .other
            }
            return matches(buffer, start, "x-forwarded-host") ? .xForwardedHost : .other
        case 17:
            if first == UInt8(ascii: "t") {
                if matches(buffer, start, "transfer-encoding") { return .transferEncoding }
                return framingLookalikes && isFramingLookalike(buffer, start, end) ? .transferEncoding : .other
            }
            return matches(buffer, start, "x-forwarded-proto") ? .xForwardedProto : .other
        case 18:
            return matches(buffer, start, "proxy-authenticate") ? .proxyAuthenticate : .other
        case 19:
            return matches(buffer, start, "proxy-authorization") ? .proxyAuthorization : .other
        default:
            return .other
        }
    }

    /// The name `buffer[start..<end]` is `Content-Length` or `Transfer-Encoding` spelt with `_` for
    /// `-` (e.g. `Content_Length`). Such a name is a valid token (RFC 9110 §5.1), but CGI-style
    /// servers map `-` and `_` to the same variable, so an upstream could take it for the framing
    /// field we ignored: a smuggling vector. Only meaningful for names that did not match the real
    /// name, so its `-` must have been a `_`: one byte test rejects almost every other name.
    static func isFramingLookalike(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        switch end &- start {
        case 14:
            return buffer[start &+ 7] == UInt8(ascii: "_") && matchesWithUnderscore(buffer, start, "content_length")
        case 17:
            return buffer[start &+ 8] == UInt8(ascii: "_") && matchesWithUnderscore(buffer, start, "transfer_encoding")
        default:
            return false
        }
    }

    /// `buffer[start...]` equals `literal` ignoring ASCII case; `_` in the literal matches itself.
    private static func matchesWithUnderscore(_ buffer: UnsafeRawBufferPointer, _ start: Int,
                                              _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes in
            var index = 0
            while index < bytes.count {
                let byte = buffer[start &+ index]
                if byte != bytes[index] && byte | 0x20 != bytes[index] { return false }
                index &+= 1
            }
            return true
        }
    }

    /// `buffer[start...]` equals the lowercase `literal` ignoring ASCII case, with `_` accepted for
    /// each `-`: CGI-style upstreams read `X_Consumer_Id` as `X-Consumer-Id`, so a client must not
    /// be able to slip a forged identity past the proxy's stripping with an underscore.
    static func matchesIdentityName(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes in
            var index = 0
            while index < bytes.count {
                let byte = buffer[start &+ index]
                if byte | 0x20 != bytes[index] && !(bytes[index] == UInt8(ascii: "-") && byte == UInt8(ascii: "_")) {
                    return false
                }
                index &+= 1
            }
            return true
        }
    }

    /// `buffer[start...]` equals the lowercase `literal`, ignoring ASCII case. The caller checked the length.
    @inlinable @inline(__always)
    public static func matches(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes in
            var index = 0
            while index < bytes.count {
                if buffer[start &+ index] | 0x20 != bytes[index] { return false }
                index &+= 1
            }
            return true
        }
    }
}
