/// What one scanned field line turned out to be.
enum HTTPFieldLine {
    /// The line is not complete in the buffer yet.
    case incomplete
    /// The empty line ending the field section; `next` is the offset after its CRLF.
    case endOfSection(next: Int)
    /// A valid field line; `next` is the offset after its CRLF.
    case field(HTTPField, next: Int)
}

/// Scans single field lines (RFC 9112 §5, RFC 9110 §5.5), shared by the request parser, the
/// response parser and the chunked decoder's trailer section so the rules exist once.
enum HTTPFieldLineScanner {
    /// Scans the line at `start`, resuming from `partial` when it describes this line. Strict:
    /// obs-fold, whitespace before the colon, bare CR/LF, and bytes outside tchar (name) or
    /// field-vchar/SP/HTAB/obs-text (value) are errors. The value is trimmed of OWS on both sides.
    /// The caller keeps offsets below 2^31 (its head limit does).
    @inline(__always)
    static func scan(_ buffer: UnsafeRawBufferPointer, from start: Int, partial: inout HTTPPartialLine)
        throws(HTTPParseError) -> HTTPFieldLine {
        let count = buffer.count
        var index: Int
        var nameEnd: Int
        var valueStart: Int
        if partial.lineStart == start {
            index = partial.resumeAt
            nameEnd = partial.nameEnd
            valueStart = partial.valueStart
        } else {
            guard start < count else { return .incomplete }
            let first = buffer[start]
            if first == HTTPByteClass.cr {
                guard start &+ 1 < count else { return .incomplete }
                guard buffer[start &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: start) }
                return .endOfSection(next: start &+ 2)
            }
            if first == HTTPByteClass.lf { throw HTTPParseError(.bareLF, at: start) }
            // RFC 9112 §5.2: obs-fold is rejected (we never replace it with SP).
            if HTTPByteClass.isWhitespace(first) { throw HTTPParseError(.obsoleteLineFolding, at: start) }
            index = start
            nameEnd = -1
            valueStart = -1
        }

        if nameEnd < 0 {
            while index &+ 8 <= count,
                  HTTPByteClass.allCommonNameBytes(buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index &+= 8
            }
            while index < count, HTTPByteClass.isTchar(buffer[index]) { index &+= 1 }
            guard index < count else {
                partial = HTTPPartialLine(lineStart: start, resumeAt: index, nameEnd: -1, valueStart: -1)
                return .incomplete
            }
            let stop = buffer[index]
            guard stop == HTTPByteClass.colon, index > start else {
                // A CR ending the name: a lone CR is bareCR, a CRLF a line without colon; the next byte decides.
                if stop == HTTPByteClass.cr {
                    guard index &+ 1 < count else {
                        partial = HTTPPartialLine(lineStart: start, resumeAt: index, nameEnd: -1, valueStart: -1)
                        return .incomplete
                    }
                    if buffer[index &+ 1] != HTTPByteClass.lf { throw HTTPParseError(.bareCR, at: index) }
                }
                throw HTTPParseError(nameErrorKind(stop, nameIsEmpty: index == start), at: index)
            }
            nameEnd = index
            index &+= 1
        }
        if valueStart < 0 {
            while index < count, HTTPByteClass.isWhitespace(buffer[index]) { index &+= 1 }
            guard index < count else {
                partial = HTTPPartialLine(lineStart: start, resumeAt: index, nameEnd: nameEnd, valueStart: -1)
                return .incomplete
            }
            valueStart = index
        }
        // Eight bytes at a time while none is a CTL or DEL (the CR ending the line is a CTL).
        while index &+ 8 <= count,
              HTTPByteClass.allFieldValueBytes(buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
            index &+= 8
        }
        while index < count, HTTPByteClass.isFieldValueByte(buffer[index]) { index &+= 1 }
        guard index &+ 1 < count else {
            if index < count, buffer[index] != HTTPByteClass.cr {
                throw HTTPParseError(buffer[index] == HTTPByteClass.lf ? .bareLF : .invalidFieldValue, at: index)
            }
            // Resume at the CR (or the end): the value loop stops there again at once.
            partial = HTTPPartialLine(lineStart: start, resumeAt: index, nameEnd: nameEnd, valueStart: valueStart)
            return .incomplete
        }
        let end = buffer[index]
        if end != HTTPByteClass.cr {
            throw HTTPParseError(end == HTTPByteClass.lf ? .bareLF : .invalidFieldValue, at: index)
        }
        guard buffer[index &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: index) }
        var valueEnd = index
        while valueEnd > valueStart, HTTPByteClass.isWhitespace(buffer[valueEnd &- 1]) { valueEnd &-= 1 }
        let field = HTTPField(nameStart: Int32(truncatingIfNeeded: start), nameEnd: Int32(truncatingIfNeeded: nameEnd),
                              valueStart: Int32(truncatingIfNeeded: valueStart),
                              valueEnd: Int32(truncatingIfNeeded: valueEnd))
        return .field(field, next: index &+ 2)
    }

    /// Why a name ended at `stop` without a valid `name:`.
    private static func nameErrorKind(_ stop: UInt8, nameIsEmpty: Bool) -> HTTPParseError.Kind {
        // RFC 9112 §5.1: whitespace between name and colon must be rejected with 400.
        if HTTPByteClass.isWhitespace(stop) && !nameIsEmpty { return .whitespaceBeforeColon }
        if stop == HTTPByteClass.lf { return .bareLF }
        return .invalidFieldName
    }
}
