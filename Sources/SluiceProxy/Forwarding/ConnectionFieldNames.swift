import SluiceHTTP

/// RFC 9110 §7.6.1: the field names a message's `Connection` fields list are hop-by-hop for that
/// message. Only consulted when the parser flagged that `Connection` named something besides
/// close/keep-alive, so the common request pays nothing.
enum ConnectionFieldNames {
    /// Whether `name` (bytes of `buffer`) is listed in any `Connection` field of the message.
    static func lists(_ name: Range<Int>, fields: [HTTPField], known: [HTTPKnownField],
                      in buffer: UnsafeRawBufferPointer) -> Bool {
        for index in 0..<fields.count where known[index] == .connection {
            let value = fields[index].valueRange
            var start = value.lowerBound
            while start < value.upperBound {
                var end = start
                while end < value.upperBound, buffer[end] != UInt8(ascii: ",") { end += 1 }
                var tokenStart = start
                var tokenEnd = end
                while tokenStart < tokenEnd, buffer[tokenStart] == 0x20 || buffer[tokenStart] == 0x09 { tokenStart += 1 }
                while tokenEnd > tokenStart, buffer[tokenEnd - 1] == 0x20 || buffer[tokenEnd - 1] == 0x09 { tokenEnd -= 1 }
                if equalsIgnoringCase(buffer, tokenStart..<tokenEnd, name) { return true }
                start = end + 1
            }
        }
        return false
    }

    static func equalsIgnoringCase(_ buffer: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var offset = 0
        while offset < a.count {
            var x = buffer[a.lowerBound + offset]
            var y = buffer[b.lowerBound + offset]
            if x >= 0x41 && x <= 0x5A { x |= 0x20 }
            if y >= 0x41 && y <= 0x5A { y |= 0x20 }
            if x != y { return false }
            offset += 1
        }
        return true
    }
}
