/// Strict, resumable HTTP/1.1 response-head parser for the upstream client. Same contract as
/// `HTTP1RequestParser` (same field-line rules, limits and classification, shared code); the framing
/// of the body depends on the request it answers (RFC 9112 §6.3).
///
/// Framing decisions:
/// - HEAD request, 1xx, 204, 304, and 2xx to CONNECT: `.none`, whatever the fields say.
/// - Transfer-Encoding with Content-Length, or in HTTP/1.0: an error (smuggling shape; the client
///   answers 502 and closes).
/// - Transfer-Encoding ending in `chunked`: `.chunked`; with another coding before it: 501-kind error
///   (we cannot pass on a coding we would have to strip with the hop-by-hop TE field).
/// - Transfer-Encoding whose final coding is not `chunked`: `.untilClose` and `keepAlive = false`
///   (RFC 9112 §6.3 (4)); the codings are passed through undecoded with the body.
/// - Content-Length: `.contentLength(n)`. Neither: `.untilClose`, `keepAlive = false`.
/// 101 is reported like any other status: we never ask for an upgrade, the caller decides.
public struct HTTP1ResponseParser: Sendable {
    public let limits: HTTPLimits
    public internal(set) var head = HTTPResponseHead()

    private var inFields = false
    private var position = 0
    private var framing = HTTPFramingFields()
    private var partialLine = HTTPPartialLine()

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Parses the response head at the start of `buffer`, answering a request with method `requestMethod`.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer, requestMethod: HTTPMethod) -> HTTPHeadParseResult {
        do {
            return try parseLines(buffer, requestMethod: requestMethod)
        } catch {
            return .failed(error)
        }
    }

    /// Forgets a partial scan. Not needed after `.complete` (the parser is then ready for the next head).
    public mutating func reset() {
        inFields = false
        position = 0
        partialLine.clear()
    }

    private mutating func parseLines(_ buffer: UnsafeRawBufferPointer, requestMethod: HTTPMethod)
        throws(HTTPParseError) -> HTTPHeadParseResult {
        if !inFields {
            head.fields.removeAll(keepingCapacity: true)
            head.knownFields.removeAll(keepingCapacity: true)
            framing.reset()
            guard let next = try parseStatusLine(buffer) else {
                if buffer.count >= limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
                return .incomplete
            }
            if next > limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
            position = next
            inFields = true
        }
        guard let end = try HTTPFieldSection.parse(buffer, position: &position, fields: &head.fields,
                                                   knownFields: &head.knownFields, framing: &framing, partial: &partialLine,
                                                   limits: limits, isRequest: false)
        else { return .incomplete }
        try finishHead(length: end, requestMethod: requestMethod)
        reset()
        return .complete(consumed: end)
    }

    /// `HTTP-version SP status-code SP [reason-phrase] CRLF` (RFC 9112 §4); a missing SP before an
    /// empty reason is tolerated. Returns the offset after the CRLF, or nil when incomplete.
    private mutating func parseStatusLine(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int? {
        let count = buffer.count
        let prefix: StaticString = "HTTP/"
        var mismatch = false
        prefix.withUTF8Buffer { bytes in
            for index in 0..<min(count, bytes.count) where buffer[index] != bytes[index] { mismatch = true }
        }
        if mismatch { throw HTTPParseError(.invalidStatusLine, at: 0) }
        guard count >= 12 else { return nil }
        guard HTTPByteClass.isDigit(buffer[5]), buffer[6] == UInt8(ascii: "."), HTTPByteClass.isDigit(buffer[7]),
              buffer[8] == HTTPByteClass.sp
        else { throw HTTPParseError(.invalidStatusLine, at: 5) }
        guard buffer[5] == UInt8(ascii: "1") else { throw HTTPParseError(.unsupportedVersion, at: 5) }
        head.version = buffer[7] == UInt8(ascii: "0") ? .http10 : .http11
        var status = 0
        for index in 9..<12 {
            let digit = buffer[index] &- 0x30
            guard digit < 10 else { throw HTTPParseError(.invalidStatusCode, at: index) }
            status = status &* 10 &+ Int(digit)
        }
        // RFC 9110 §15: values outside 100...599 are invalid.
        guard status >= 100 && status <= 599 else { throw HTTPParseError(.invalidStatusCode, at: 9) }
        head.status = status
        guard count > 12 else { return nil }
        var index = 12
        let reasonStart: Int
        if buffer[12] == HTTPByteClass.sp {
            reasonStart = 13
            index = 13
            // reason-phrase = *( HTAB / SP / VCHAR / obs-text )
            while index < count, HTTPByteClass.isFieldValueByte(buffer[index]) { index &+= 1 }
            guard index < count else { return nil }
        } else {
            reasonStart = 12
            if HTTPByteClass.isDigit(buffer[12]) { throw HTTPParseError(.invalidStatusCode, at: 12) }
        }
        let stop = buffer[index]
        guard stop == HTTPByteClass.cr else {
            throw HTTPParseError(stop == HTTPByteClass.lf ? .bareLF : .invalidStatusLine, at: index)
        }
        guard index &+ 1 < count else { return nil }
        guard buffer[index &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: index) }
        head.reasonRange = reasonStart..<index
        return index &+ 2
    }

    /// RFC 9112 §6.3 and §9.3, as documented on the type.
    private mutating func finishHead(length: Int, requestMethod: HTTPMethod) throws(HTTPParseError) {
        let isHTTP11 = head.version == .http11
        head.keepAlive = isHTTP11 ? !framing.connectionClose : framing.connectionKeepAlive && !framing.connectionClose
        head.connectionNamesOtherFields = framing.connectionNamesOtherFields
        head.headLength = length
        let status = head.status
        if framing.hasTransferEncoding {
            let offset = framing.transferEncodingOffset
            if framing.contentLength >= 0 { throw HTTPParseError(.contentLengthWithTransferEncoding, at: offset) }
            // RFC 9112 §6.1: TE in an HTTP/1.0 message means faulty framing.
            if !isHTTP11 { throw HTTPParseError(.transferEncodingInHTTP10, at: offset) }
        }
        if requestMethod == .HEAD || status < 200 || status == 204 || status == 304
            || (requestMethod == .CONNECT && status < 300) {
            head.framing = .none
        } else if framing.hasTransferEncoding {
            if framing.lastCodingIsChunked {
                if framing.sawOtherCoding {
                    throw HTTPParseError(.unsupportedTransferCoding, at: framing.transferEncodingOffset)
                }
                head.framing = .chunked
            } else {
                head.framing = .untilClose
                head.keepAlive = false
            }
        } else if framing.contentLength >= 0 {
            head.framing = .contentLength(framing.contentLength)
        } else {
            head.framing = .untilClose
            head.keepAlive = false
        }
    }
}
