extension HTTP1RequestParser {
    /// Parses `method SP request-target SP HTTP-version CRLF` (RFC 9112 §3) at `start` into `head`.
    /// Returns the offset after the CRLF, or nil when the line is not complete yet. Every byte that
    /// is already there has been checked (garbage fails before the line ends), and `requestLine`
    /// remembers how far, so a line arriving in pieces is read once.
    mutating func parseRequestLine(_ buffer: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        let count = buffer.count
        var index = requestLine.resumeAt >= start ? requestLine.resumeAt : start
        if requestLine.phase == .method {
            // method = token (RFC 9110 §9.1), followed by exactly one SP.
            while index < count, HTTPByteClass.isTchar(buffer[index]) { index &+= 1 }
            // An over-long method is an invalid request line (400), not a long URI (414).
            if index &- start > limits.maxMethodBytes {
                throw HTTPParseError(.invalidMethod, at: start &+ limits.maxMethodBytes)
            }
            guard index < count else {
                requestLine.resumeAt = index
                return nil
            }
            guard buffer[index] == HTTPByteClass.sp, index > start else {
                guard let kind = Self.lineBreakError(buffer, index, otherwise: .invalidMethod) else {
                    requestLine.resumeAt = index
                    return nil
                }
                throw HTTPParseError(kind, at: index)
            }
            head.methodRange = start..<index
            head.method = Self.method(buffer, start, index)
            index &+= 1
            requestLine = HTTPRequestLineProgress(phase: .target, resumeAt: index, queryStart: -1)
        }
        let targetStart = head.methodRange.upperBound &+ 1
        if requestLine.phase == .target {
            var queryStart = requestLine.queryStart
            while true {
                while index &+ 8 <= count,
                      HTTPByteClass.allPlainTargetBytes(buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                    index &+= 8
                }
                guard index < count else { break }
                let byte = buffer[index]
                guard HTTPByteClass.isTargetByte(byte) else { break }
                if byte == UInt8(ascii: "?") && queryStart < 0 { queryStart = index }
                index &+= 1
            }
            guard index < count else {
                requestLine = HTTPRequestLineProgress(phase: .target, resumeAt: index, queryStart: queryStart)
                return nil
            }
            let targetEnd = index
            if buffer[index] != HTTPByteClass.sp || targetEnd == targetStart {
                // `GET /` + CRLF is HTTP/0.9, which we do not speak: a missing version.
                let otherwise: HTTPParseError.Kind = targetEnd > targetStart ? .invalidVersion : .invalidTarget
                let stop = buffer[index]
                let kind = stop == HTTPByteClass.cr || stop == HTTPByteClass.lf
                    ? Self.lineBreakError(buffer, index, otherwise: otherwise) : .invalidTarget
                guard let kind else {
                    requestLine = HTTPRequestLineProgress(phase: .target, resumeAt: index, queryStart: queryStart)
                    return nil
                }
                throw HTTPParseError(kind, at: index)
            }
            try classifyTarget(buffer, targetStart, targetEnd, queryStart)
            index &+= 1
            requestLine = HTTPRequestLineProgress(phase: .version, resumeAt: index, queryStart: queryStart)
        }

        let versionStart = head.targetRange.upperBound &+ 1
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

    /// The error for an unexpected byte at `index`: a lone CR or LF is `bareCR`/`bareLF`, a CRLF
    /// (or any other byte) is `otherwise`. Nil when a CR is the last byte: the next one decides.
    static func lineBreakError(_ buffer: UnsafeRawBufferPointer, _ index: Int,
                               otherwise: HTTPParseError.Kind) -> HTTPParseError.Kind? {
        let byte = buffer[index]
        if byte == HTTPByteClass.lf { return .bareLF }
        guard byte == HTTPByteClass.cr else { return otherwise }
        guard index &+ 1 < buffer.count else { return nil }
        return buffer[index &+ 1] == HTTPByteClass.lf ? otherwise : .bareCR
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
