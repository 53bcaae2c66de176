/// Iterates the elements of a comma-separated field value (`#rule`, RFC 9110 §5.6.1), each trimmed
/// of OWS. Empty elements are returned (as empty ranges) so callers decide whether they are errors.
/// None of the lists we read (Content-Length, Transfer-Encoding, Connection, Expect) holds quoted strings.
struct HTTPListElements {
    private let buffer: UnsafeRawBufferPointer
    private var position: Int
    private let end: Int
    private var finished = false

    init(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    @inline(__always)
    mutating func next() -> Range<Int>? {
        if finished { return nil }
        var stop = position
        while stop < end, buffer[stop] != HTTPByteClass.comma { stop &+= 1 }
        var lower = position
        var upper = stop
        if stop == end { finished = true } else { position = stop &+ 1 }
        while lower < upper, HTTPByteClass.isWhitespace(buffer[lower]) { lower &+= 1 }
        while upper > lower, HTTPByteClass.isWhitespace(buffer[upper &- 1]) { upper &-= 1 }
        return lower..<upper
    }
}
