extension HTTP1RequestParser {
    /// Parses `method SP request-target SP HTTP-version CRLF` (RFC 9112 §3) at `start` into `head`.
    /// Returns the offset after the CRLF, or nil when the line is not complete yet (every byte that
    /// is already there has been checked, so garbage fails before the line ends).
    mutating func parseRequestLine(_ buffer: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        let count = buffer.count
        // method = token (RFC 9110 §9.1), followed by exactly one SP.
        var index = start
        while index < count, HTTPByteClass.isTchar(buffer[index]) { index &+= 1 }
        guard index < count else { return nil }
        guard buffer[index] == HTTPByteClass.sp, index > start else { throw HTTPParseError(.invalidMethod, at: index) }
        head.methodRange = start..<index
        head.method = Self.method(buffer, start, index)

        let targetStart = index &+ 1
        index = targetStart
        var queryStart = -1
        while index < count {
            let byte = buffer[index]
            guard HTTPByteClass.isTargetByte(byte) else { break }
            if byte == UInt8(ascii: "?") && queryStart < 0 { queryStart = index }
            index &+= 1
        }
        guard index < count else { return nil }
        let targetEnd = index
        if buffer[index] != HTTPByteClass.sp || targetEnd == targetStart {
            let stop = buffer[index]
            // `GET /` + CRLF is HTTP/0.9, which we do not speak.
            let missingVersion = targetEnd > targetStart && (stop == HTTPByteClass.cr || stop == HTTPByteClass.lf)
            throw HTTPParseError(missingVersion ? .invalidVersion : .invalidTarget, at: index)
        }
        try classifyTarget(buffer, targetStart, targetEnd, queryStart)

        let versionStart = targetEnd &+ 1
        guard count >= versionStart &+ 8 else { return nil }
        head.version = try Self.version(buffer, versionStart)
        let lineEnd = versionStart &+ 8
        if lineEnd &- start > limits.maxRequestLineBytes {
            throw HTTPParseError(.requestLineTooLong, at: start &+ limits.maxRequestLineBytes)
        }
        guard lineEnd < count else { return nil }
        let end = buffer[lineEnd]
        guard end == HTTPByteClass.cr else {
            throw HTTPParseError(end == HTTPByteClass.lf ? .bareLF : .invalidVersion, at: lineEnd)
        }
        guard lineEnd &+ 1 < count else { return nil }
        guard buffer[lineEnd &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: lineEnd) }
        return lineEnd &+ 2
    }

    /// Fills the target's form and ranges, enforcing RFC 9112 §3.2: origin-form for most requests,
    /// absolute-form (`http`/`https`) for any method, authority-form only (and always) with CONNECT,
    /// `*` only with OPTIONS.
    private mutating func classifyTarget(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                                         _ queryStart: Int) throws(HTTPParseError) {
        head.targetRange = start..<end
        let pathEnd = queryStart >= 0 ? queryStart : end
        head.queryRange = pathEnd..<end
        head.authorityRange = end..<end
        let first = buffer[start]
        if head.method == .CONNECT {
            guard HTTPHostSyntax.isValid(buffer, start, end, allowEmpty: false, requirePort: true) else {
                throw HTTPParseError(.invalidTarget, at: start)
            }
            head.targetForm = .authority
            head.authorityRange = start..<end
            head.pathRange = end..<end
            head.queryRange = end..<end
        } else if first == UInt8(ascii: "/") {
            head.targetForm = .origin
            head.pathRange = start..<pathEnd
        } else if first == UInt8(ascii: "*") {
            guard end &- start == 1, head.method == .OPTIONS else { throw HTTPParseError(.invalidTarget, at: start) }
            head.targetForm = .asterisk
            head.pathRange = end..<end
        } else {
            // absolute-form: "http://" or "https://" (scheme is case-insensitive, RFC 3986 §3.1).
            var authorityStart = start
            if end &- start > 7 && HTTPKnownField.matches(buffer, start, "http://") {
                authorityStart = start &+ 7
            } else if end &- start > 8 && HTTPKnownField.matches(buffer, start, "https://") {
                authorityStart = start &+ 8
            } else {
                throw HTTPParseError(.invalidTarget, at: start)
            }
            var authorityEnd = authorityStart
            while authorityEnd < pathEnd, buffer[authorityEnd] != UInt8(ascii: "/") { authorityEnd &+= 1 }
            // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid.
            guard HTTPHostSyntax.isValid(buffer, authorityStart, authorityEnd, allowEmpty: false, requirePort: false)
            else { throw HTTPParseError(.invalidTarget, at: authorityStart) }
            head.targetForm = .absolute
            head.authorityRange = authorityStart..<authorityEnd
            head.pathRange = authorityEnd..<pathEnd
        }
    }

    /// `HTTP/1.1` or `HTTP/1.0`, case-sensitive (RFC 9112 §2.3). `HTTP/1.x` with x > 1 is 1.1
    /// (RFC 9110 §6.2); another major version is a 505.
    private static func version(_ buffer: UnsafeRawBufferPointer, _ start: Int) throws(HTTPParseError) -> HTTPVersion {
        guard HTTPRequestLineBytes.equals(buffer, start, "HTTP/"),
              HTTPByteClass.isDigit(buffer[start &+ 5]),
              buffer[start &+ 6] == UInt8(ascii: "."),
              HTTPByteClass.isDigit(buffer[start &+ 7])
        else { throw HTTPParseError(.invalidVersion, at: start) }
        guard buffer[start &+ 5] == UInt8(ascii: "1") else { throw HTTPParseError(.unsupportedVersion, at: start) }
        return buffer[start &+ 7] == UInt8(ascii: "0") ? .http10 : .http11
    }

    /// Recognises the common methods by length and bytes; methods are case-sensitive (RFC 9110 §9.1).
    private static func method(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HTTPMethod {
        let first = buffer[start]
        switch end &- start {
        case 3:
            if first == UInt8(ascii: "G") { return HTTPRequestLineBytes.equals(buffer, start, "GET") ? .GET : .other }
            return HTTPRequestLineBytes.equals(buffer, start, "PUT") ? .PUT : .other
        case 4:
            if first == UInt8(ascii: "H") { return HTTPRequestLineBytes.equals(buffer, start, "HEAD") ? .HEAD : .other }
            return HTTPRequestLineBytes.equals(buffer, start, "POST") ? .POST : .other
        case 5:
            if first == UInt8(ascii: "P") { return HTTPRequestLineBytes.equals(buffer, start, "PATCH") ? .PATCH : .other }
            return HTTPRequestLineBytes.equals(buffer, start, "TRACE") ? .TRACE : .other
        case 6:
            return HTTPRequestLineBytes.equals(buffer, start, "DELETE") ? .DELETE : .other
        case 7:
            if first == UInt8(ascii: "O") {
                return HTTPRequestLineBytes.equals(buffer, start, "OPTIONS") ? .OPTIONS : .other
            }
            return HTTPRequestLineBytes.equals(buffer, start, "CONNECT") ? .CONNECT : .other
        default:
            return .other
        }
    }
}

/// Exact (case-sensitive) byte comparisons for start lines.
enum HTTPRequestLineBytes {
    /// `buffer[start...]` begins with `literal`; the caller checked there are enough bytes.
    @inline(__always)
    static func equals(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes in
            var index = 0
            while index < bytes.count {
                if buffer[start &+ index] != bytes[index] { return false }
                index &+= 1
            }
            return true
        }
    }
}
