extension HTTP1ChunkedDecoder {
    /// `chunk-size [ chunk-ext ] CRLF` at `start` (RFC 9112 §7.1, §7.1.1): the size and the offset
    /// after the CRLF, or nil when the line is not complete yet (every byte present was checked).
    static func sizeLine(_ input: UnsafeRawBufferPointer, from start: Int, limits: HTTPLimits)
        throws(HTTPParseError) -> (Int, Int)? {
        do throws(HTTPParseError) {
            guard let result = try sizeLineBody(input, from: start) else {
                // No CRLF yet, and already longer than a chunk line may be.
                if input.count &- start >= limits.maxChunkLineBytes &+ 2 {
                    throw HTTPParseError(.chunkLineTooLong, at: start &+ limits.maxChunkLineBytes)
                }
                return nil
            }
            if result.1 &- 2 &- start > limits.maxChunkLineBytes {
                throw HTTPParseError(.chunkLineTooLong, at: start &+ limits.maxChunkLineBytes)
            }
            return result
        } catch {
            // A line over the limit reports that, whatever else is wrong further on.
            if error.offset &- start > limits.maxChunkLineBytes {
                throw HTTPParseError(.chunkLineTooLong, at: start &+ limits.maxChunkLineBytes)
            }
            throw error
        }
    }

    private static func sizeLineBody(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> (Int, Int)? {
        let count = input.count
        var index = start
        var size = 0
        var significantDigits = 0
        while index < count, let value = HTTPByteClass.hexValue(input[index]) {
            if size != 0 || value != 0 { significantDigits &+= 1 }
            // 15 hex digits are 60 bits: no overflow, and far beyond any body we accept.
            if significantDigits > 15 { throw HTTPParseError(.invalidChunkSize, at: index) }
            size = size &<< 4 | Int(value)
            index &+= 1
        }
        guard index < count else { return nil }
        if index == start { throw HTTPParseError(.invalidChunkSize, at: index) }
        var sawExtension = false
        while true {
            let whitespaceStart = index
            while index < count, HTTPByteClass.isWhitespace(input[index]) { index &+= 1 }
            guard index < count else { return nil }
            let byte = input[index]
            if byte == HTTPByteClass.cr {
                // BWS is only allowed before ";", never before the CRLF.
                if index > whitespaceStart {
                    throw HTTPParseError(sawExtension ? .invalidChunkExtension : .invalidChunkSize, at: whitespaceStart)
                }
                guard index &+ 1 < count else { return nil }
                guard input[index &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: index) }
                return (size, index &+ 2)
            }
            if byte == HTTPByteClass.lf { throw HTTPParseError(.bareLF, at: index) }
            guard byte == UInt8(ascii: ";") else {
                throw HTTPParseError(sawExtension ? .invalidChunkExtension : .invalidChunkSize, at: index)
            }
            sawExtension = true
            guard let next = try extensionBody(input, from: index &+ 1) else { return nil }
            index = next
        }
    }

    /// `BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ]` after a `;`; returns where it ends.
    private static func extensionBody(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        let count = input.count
        var index = start
        while index < count, HTTPByteClass.isWhitespace(input[index]) { index &+= 1 }
        let nameStart = index
        while index < count, HTTPByteClass.isTchar(input[index]) { index &+= 1 }
        guard index < count else { return nil }
        if index == nameStart { throw HTTPParseError(.invalidChunkExtension, at: index) }
        let afterName = index
        while index < count, HTTPByteClass.isWhitespace(input[index]) { index &+= 1 }
        guard index < count else { return nil }
        guard input[index] == UInt8(ascii: "=") else { return afterName }
        index &+= 1
        while index < count, HTTPByteClass.isWhitespace(input[index]) { index &+= 1 }
        guard index < count else { return nil }
        if input[index] == UInt8(ascii: "\"") {
            return try quotedStringEnd(input, from: index &+ 1)
        }
        let valueStart = index
        while index < count, HTTPByteClass.isTchar(input[index]) { index &+= 1 }
        guard index < count else { return nil }
        if index == valueStart { throw HTTPParseError(.invalidChunkExtension, at: index) }
        return index
    }

    /// The offset after the closing quote of a quoted-string (RFC 9110 §5.6.4) whose body starts at `start`.
    private static func quotedStringEnd(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        let count = input.count
        var index = start
        while index < count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") { return index &+ 1 }
            if byte == UInt8(ascii: "\\") {
                guard index &+ 1 < count else { return nil }
                guard HTTPByteClass.isFieldValueByte(input[index &+ 1]) else {
                    throw HTTPParseError(.invalidChunkExtension, at: index &+ 1)
                }
                index &+= 2
                continue
            }
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            guard HTTPByteClass.isFieldValueByte(byte) else {
                throw HTTPParseError(byte == HTTPByteClass.lf ? .bareLF : .invalidChunkExtension, at: index)
            }
            index &+= 1
        }
        return nil
    }
}
