/// What the framing- and connection-relevant fields of one head said, gathered field by field as
/// they are parsed (RFC 9112 §6, §9.3; RFC 9110 §7.2, §7.6.1, §8.6, §10.1.1). Shared by the request
/// and response parsers; the per-message decision (framing, keep-alive) is theirs.
struct HTTPFramingFields {
    /// The Content-Length value, or -1 when none was sent.
    var contentLength = -1
    var contentLengthOffset = 0
    var hasTransferEncoding = false
    var transferEncodingOffset = 0
    /// The last transfer coding seen so far is `chunked`.
    var lastCodingIsChunked = false
    var sawChunked = false
    /// A coding other than `chunked` appeared (we decode none of them).
    var sawOtherCoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionNamesOtherFields = false
    var expectContinue = false
    var hostCount = 0
    var hostFieldIndex = -1
    /// The Host field's value is empty (valid syntax; whether it is acceptable depends on the target form).
    var hostIsEmpty = false

    mutating func reset() {
        self = HTTPFramingFields()
    }

    /// Takes in a field already classified as `known` (not `.other`), the `index`-th of its head.
    /// Host and Expect are request fields: only checked when `isRequest`.
    @inline(__always)
    mutating func record(_ known: HTTPKnownField, _ field: HTTPField, index: Int,
                         in buffer: UnsafeRawBufferPointer, isRequest: Bool) throws(HTTPParseError) {
        switch known {
        case .contentLength:
            try recordContentLength(field.valueRange, in: buffer)
        case .transferEncoding:
            try recordTransferEncoding(field.valueRange, in: buffer)
        case .connection:
            try recordConnection(field.valueRange, in: buffer)
        case .host where isRequest:
            // RFC 9112 §3.2: more than one Host, or an invalid one, is a 400.
            hostCount &+= 1
            guard hostCount == 1 else { throw HTTPParseError(.duplicateHost, at: field.valueRange.lowerBound) }
            guard HTTPHostSyntax.isValid(buffer, field.valueRange.lowerBound, field.valueRange.upperBound,
                                         allowEmpty: true, requirePort: false)
            else { throw HTTPParseError(.invalidHost, at: field.valueRange.lowerBound) }
            hostFieldIndex = index
            hostIsEmpty = field.valueRange.isEmpty
        case .expect where isRequest:
            try recordExpect(field.valueRange, in: buffer)
        default:
            break
        }
    }

    /// RFC 9110 §8.6: 1*DIGIT; a list of identical values (or repeated identical fields) is one value.
    private mutating func recordContentLength(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer)
        throws(HTTPParseError) {
        var elements = HTTPListElements(buffer, range)
        while let element = elements.next() {
            guard !element.isEmpty else { throw HTTPParseError(.invalidContentLength, at: element.lowerBound) }
            var value = 0
            for offset in element {
                let digit = buffer[offset] &- 0x30
                guard digit < 10 else { throw HTTPParseError(.invalidContentLength, at: offset) }
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
                guard !overflow1, !overflow2 else { throw HTTPParseError(.invalidContentLength, at: offset) }
                value = sum
            }
            if contentLength >= 0 && contentLength != value {
                throw HTTPParseError(.conflictingContentLength, at: element.lowerBound)
            }
            if contentLength < 0 { contentLengthOffset = element.lowerBound }
            contentLength = value
        }
    }

    /// RFC 9112 §6.1, §7: codings may span several fields; `chunked` must be last and only once.
    /// Empty list elements (`, chunked`, `chunked,`) are skipped: RFC 9110 §5.6.1 says a recipient
    /// MUST ignore them. A field with no coding at all leaves the final coding non-chunked (400).
    private mutating func recordTransferEncoding(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer)
        throws(HTTPParseError) {
        if !hasTransferEncoding { transferEncodingOffset = range.lowerBound }
        hasTransferEncoding = true
        var elements = HTTPListElements(buffer, range)
        while let element = elements.next() {
            if element.isEmpty { continue }
            for offset in element where !HTTPByteClass.isTchar(buffer[offset]) {
                throw HTTPParseError(.invalidTransferEncoding, at: offset)
            }
            if element.count == 7 && HTTPKnownField.matches(buffer, element.lowerBound, "chunked") {
                guard !sawChunked else { throw HTTPParseError(.invalidTransferEncoding, at: element.lowerBound) }
                sawChunked = true
                lastCodingIsChunked = true
            } else {
                sawOtherCoding = true
                lastCodingIsChunked = false
            }
        }
    }

    /// RFC 9110 §7.6.1: connection options are tokens; RFC 9112 §9.3 gives close/keep-alive meaning.
    private mutating func recordConnection(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer)
        throws(HTTPParseError) {
        var elements = HTTPListElements(buffer, range)
        while let element = elements.next() {
            if element.isEmpty { continue }
            for offset in element where !HTTPByteClass.isTchar(buffer[offset]) {
                throw HTTPParseError(.invalidFieldValue, at: offset)
            }
            if element.count == 5 && HTTPKnownField.matches(buffer, element.lowerBound, "close") {
                connectionClose = true
            } else if element.count == 10 && HTTPKnownField.matches(buffer, element.lowerBound, "keep-alive") {
                connectionKeepAlive = true
            } else {
                connectionNamesOtherFields = true
            }
        }
    }

    /// RFC 9110 §10.1.1: the only expectation is 100-continue; any other one gets a 417.
    private mutating func recordExpect(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer)
        throws(HTTPParseError) {
        var elements = HTTPListElements(buffer, range)
        while let element = elements.next() {
            if element.isEmpty { continue }
            guard element.count == 12, HTTPKnownField.matches(buffer, element.lowerBound, "100-continue") else {
                throw HTTPParseError(.unsupportedExpectation, at: element.lowerBound)
            }
            expectContinue = true
        }
    }
}
