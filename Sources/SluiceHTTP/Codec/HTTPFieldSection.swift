/// The field-section loop shared by the request and response parsers: scans complete field lines
/// from `position`, appends them with their classification, feeds the framing fields, and enforces
/// the head size and field count limits as soon as they are exceeded.
enum HTTPFieldSection {
    /// Returns the offset after the empty line ending the section, or nil when more bytes are
    /// needed (then `position` is the start of the first incomplete line and `partial` how far
    /// into it the bytes were validated).
    @inline(__always)
    static func parse(_ buffer: UnsafeRawBufferPointer, position: inout Int, fields: inout [HTTPField],
                      knownFields: inout [HTTPKnownField], framing: inout HTTPFramingFields,
                      partial: inout HTTPPartialLine, limits: HTTPLimits, isRequest: Bool) throws(HTTPParseError) -> Int? {
        let count = buffer.count
        while true {
            // RFC 9112 §2.2: whitespace between the start line and the first field must be rejected.
            if fields.isEmpty, position < count, HTTPByteClass.isWhitespace(buffer[position]) {
                throw HTTPParseError(.whitespaceBeforeFirstField, at: position)
            }
            switch try HTTPFieldLineScanner.scan(buffer, from: position, partial: &partial) {
            case .incomplete:
                if count >= limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
                return nil
            case .endOfSection(let next):
                if next > limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
                return next
            case .field(let field, let next):
                if next > limits.maxHeadBytes { throw HTTPParseError(.headTooLarge, at: limits.maxHeadBytes) }
                let index = fields.count
                if index == limits.maxHeaderCount { throw HTTPParseError(.tooManyHeaders, at: position) }
                let known = HTTPKnownField.classify(buffer, Int(field.nameStart), Int(field.nameEnd))
                if isRequest, known == .other,
                   HTTPKnownField.isFramingLookalike(buffer, Int(field.nameStart), Int(field.nameEnd)) {
                    throw HTTPParseError(.invalidFieldName, at: position)
                }
                fields.append(field)
                knownFields.append(known)
                if known != .other {
                    try framing.record(known, field, index: index, in: buffer, isRequest: isRequest)
                }
                position = next
            }
        }
    }
}
