/// Strict, resumable HTTP/1.1 request-head parser (RFC 9112, shared/DESIGN.md §5).
///
/// Feed it the bytes received so far for the current request (the buffer always starts at the first
/// byte of this request); it remembers where it stopped, inside a partial line too, so calling it
/// again after each read examines only the new bytes (work stays linear however small the pieces).
/// Bytes are validated as they arrive: an invalid head fails as soon as its first bad byte is in,
/// and the size limits fail as soon as they are exceeded. Not thread-safe: one parser per
/// connection, on its loop.
///
/// Allocation: `head.fields`/`head.knownFields` keep their capacity from request to request, so a
/// parse allocates nothing in the steady state. After `.complete` the parser is ready for the next
/// request (no `reset()` needed); after `.failed` the connection must be closed.
public struct HTTP1RequestParser: Sendable {
    public let limits: HTTPLimits
    /// The last completed head; valid after `.complete` until the next `parse` or `reset`.
    public internal(set) var head = HTTPRequestHead()

    /// The request line is done and field lines are being read.
    private var inFields = false
    /// Offset of the first byte not yet part of a completed line (CRLF, request line or field line).
    private var position = 0
    private var leadingEmptyLines = 0
    private var framing = HTTPFramingFields()
    /// Progress inside an incomplete field line.
    private var partialLine = HTTPPartialLine()
    /// Progress inside an incomplete request line (internal: the request-line extension updates it).
    var requestLine = HTTPRequestLineProgress()

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Parses the head at the start of `buffer`.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) -> HTTPHeadParseResult {
        do {
            return try parseLines(buffer)
        } catch {
            return .failed(error)
        }
    }

    /// Forgets a partial scan; call before parsing the next request on the connection.
    public mutating func reset() {
        inFields = false
        position = 0
        partialLine.clear()
        requestLine = HTTPRequestLineProgress()
        leadingEmptyLines = 0
    }

    private mutating func parseLines(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPHeadParseResult {
        let count = buffer.count
        if !inFields {
            guard try parseStartLine(buffer) else {
                if count >= limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
                return .incomplete
            }
        }
        guard let end = try HTTPFieldSection.parse(buffer, position: &position, fields: &head.fields,
                                                   knownFields: &head.knownFields, framing: &framing, partial: &partialLine,
                                                   limits: limits, isRequest: true)
        else { return .incomplete }
        try finishHead(length: end)
        reset()
        return .complete(consumed: end)
    }

    /// Skips leading empty lines and parses the request line; false when it is not complete yet.
    private mutating func parseStartLine(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> Bool {
        let count = buffer.count
        // RFC 9112 §2.2: ignore (a bounded number of) empty lines before the request line.
        while position < count, buffer[position] == HTTPByteClass.cr {
            guard position &+ 1 < count else { return false }
            guard buffer[position &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: position) }
            leadingEmptyLines &+= 1
            if leadingEmptyLines > limits.maxLeadingEmptyLines {
                throw HTTPParseError(.tooManyLeadingEmptyLines, at: position)
            }
            position &+= 2
        }
        if position < count, buffer[position] == HTTPByteClass.lf { throw HTTPParseError(.bareLF, at: position) }
        head.fields.removeAll(keepingCapacity: true)
        head.knownFields.removeAll(keepingCapacity: true)
        framing.reset()
        guard let next = try parseRequestLine(buffer, from: position) else {
            // Over the limit and still no CRLF: 414 now rather than after the whole line (RFC 9112 §3).
            if count &- position >= limits.maxRequestLineBytes &+ 2 {
                throw HTTPParseError(.requestLineTooLong, at: position &+ limits.maxRequestLineBytes)
            }
            return false
        }
        if next > limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
        position = next
        inFields = true
        return true
    }

    /// Decides framing and connection handling once the whole head is in (RFC 9112 §6.1–6.3, §9.3).
    private mutating func finishHead(length: Int) throws(HTTPParseError) {
        let isHTTP11 = head.version == .http11
        // RFC 9112 §3.2: a 1.1 request without Host is a 400.
        if framing.hostCount == 0 && isHTTP11 { throw HTTPParseError(.missingHost, at: length &- 2) }
        head.hostFieldIndex = framing.hostFieldIndex >= 0 ? framing.hostFieldIndex : nil
        // RFC 9112 §3.3: origin- and asterisk-form take the target URI's authority from Host, and
        // RFC 9110 §4.2.1 makes an http(s) URI with an empty host invalid (MUST reject), so an empty
        // Host is only valid when the target carries the authority (absolute- or authority-form).
        if framing.hostFieldIndex >= 0, framing.hostIsEmpty,
           head.targetForm == .origin || head.targetForm == .asterisk {
            throw HTTPParseError(.invalidHost, at: Int(head.fields[framing.hostFieldIndex].valueStart))
        }
        if framing.hasTransferEncoding {
            let offset = framing.transferEncodingOffset
            // RFC 9112 §6.1: TE with CL is a smuggling shape; a server may reject it, and a proxy must not forward both.
            if framing.contentLength >= 0 { throw HTTPParseError(.contentLengthWithTransferEncoding, at: offset) }
            if !isHTTP11 { throw HTTPParseError(.transferEncodingInHTTP10, at: offset) }
            // RFC 9112 §6.3 (4): a request whose final coding is not chunked cannot be framed: 400.
            if !framing.lastCodingIsChunked { throw HTTPParseError(.transferEncodingNotChunked, at: offset) }
            // RFC 9112 §6.1: codings we do not implement are a 501.
            if framing.sawOtherCoding { throw HTTPParseError(.unsupportedTransferCoding, at: offset) }
            head.framing = .chunked
        } else if framing.contentLength >= 0 {
            head.framing = .contentLength(framing.contentLength)
        } else {
            head.framing = .none
        }
        head.keepAlive = isHTTP11 ? !framing.connectionClose : framing.connectionKeepAlive && !framing.connectionClose
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
        head.expectContinue = isHTTP11 && framing.expectContinue
        head.connectionNamesOtherFields = framing.connectionNamesOtherFields
        head.headLength = length
    }
}
