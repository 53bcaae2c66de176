/// Incremental decoder for `Transfer-Encoding: chunked` bodies (RFC 9112 §7.1), used for request
/// and response bodies alike. Zero-copy: it reports where the data bytes are, the caller forwards them.
///
/// Strict: chunk-size is 1*HEXDIG with at most 15 significant digits (no sign, `0x`, or whitespace
/// before it); whitespace after it only as BWS before a `;` extension; each chunk's data must be
/// followed by exactly CRLF; trailer fields follow the same rules as header fields and are bounded by
/// `maxTrailerBytes` and `maxHeaderCount`. A partial line is re-read on the next call (bounded by
/// `maxChunkLineBytes` / `maxTrailerBytes`); chunk data is never copied or re-read.
/// Not thread-safe: one decoder per body, on its connection's loop.
public struct HTTP1ChunkedDecoder: Sendable {
    public struct Step: Sendable, Equatable {
        /// Bytes of the input this step consumed (framing and data).
        public var consumed: Int
        /// Chunk data within the input, if this step reached some (a sub-range of 0..<consumed).
        public var data: Range<Int>?
        /// The last chunk and the trailer section have been consumed: the body is complete.
        public var finished: Bool
        /// Within the input: the trailer field lines (without the final CRLF), when `finished` and any were sent.
        public var trailers: Range<Int>?

        public init(consumed: Int, data: Range<Int>?, finished: Bool, trailers: Range<Int>? = nil) {
            self.consumed = consumed
            self.data = data
            self.finished = finished
            self.trailers = trailers
        }
    }

    enum State: Equatable {
        case sizeLine
        case data(remaining: Int)
        /// The CRLF after a chunk's data.
        case dataEnd
        case trailers
        case done
    }

    public let limits: HTTPLimits
    private(set) var state = State.sizeLine

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// The last chunk and trailers have been consumed.
    public var isFinished: Bool { state == .done }

    /// Starts a new body.
    public mutating func reset() {
        state = .sizeLine
    }

    /// Decodes as far as `input` allows. Call repeatedly with the unconsumed rest until it consumes
    /// 0 bytes (needs more input) or reports `finished`. Each step returns at most one data range.
    public mutating func decode(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> Step {
        let count = input.count
        var index = 0
        while true {
            switch state {
            case .sizeLine:
                guard let (size, next) = try Self.sizeLine(input, from: index, limits: limits) else {
                    return Step(consumed: index, data: nil, finished: false)
                }
                index = next
                state = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                let take = min(count &- index, remaining)
                if take == 0 { return Step(consumed: index, data: nil, finished: false) }
                state = take == remaining ? .dataEnd : .data(remaining: remaining &- take)
                return Step(consumed: index &+ take, data: index..<(index &+ take), finished: false)
            case .dataEnd:
                guard index < count else { return Step(consumed: index, data: nil, finished: false) }
                let first = input[index]
                guard first == HTTPByteClass.cr else {
                    throw HTTPParseError(first == HTTPByteClass.lf ? .bareLF : .invalidChunkTerminator, at: index)
                }
                guard index &+ 1 < count else { return Step(consumed: index, data: nil, finished: false) }
                guard input[index &+ 1] == HTTPByteClass.lf else { throw HTTPParseError(.bareCR, at: index) }
                index &+= 2
                state = .sizeLine
            case .trailers:
                guard let (trailers, next) = try trailerSection(input, from: index) else {
                    return Step(consumed: index, data: nil, finished: false)
                }
                state = .done
                return Step(consumed: next, data: nil, finished: true, trailers: trailers)
            case .done:
                return Step(consumed: 0, data: nil, finished: true)
            }
        }
    }

    /// The trailer section at `start` (RFC 9112 §7.1.2), or nil when it is not complete yet.
    private func trailerSection(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError)
        -> (Range<Int>?, Int)? {
        var position = start
        var fieldCount = 0
        // The input moves between calls (it is the unconsumed rest), so no progress is kept: a
        // partial trailer section is re-read, bounded by maxTrailerBytes.
        var partial = HTTPPartialLine()
        while true {
            switch try HTTPFieldLineScanner.scan(input, from: position, partial: &partial) {
            case .incomplete:
                if input.count &- start >= limits.maxTrailerBytes {
                    throw HTTPParseError(.trailerTooLarge, at: start &+ limits.maxTrailerBytes)
                }
                return nil
            case .endOfSection(let next):
                if next &- start > limits.maxTrailerBytes {
                    throw HTTPParseError(.trailerTooLarge, at: start &+ limits.maxTrailerBytes)
                }
                return (position > start ? start..<position : nil, next)
            case .field(_, let next):
                if next &- start > limits.maxTrailerBytes {
                    throw HTTPParseError(.trailerTooLarge, at: start &+ limits.maxTrailerBytes)
                }
                fieldCount &+= 1
                if fieldCount > limits.maxHeaderCount { throw HTTPParseError(.tooManyHeaders, at: position) }
                position = next
            }
        }
    }
}
