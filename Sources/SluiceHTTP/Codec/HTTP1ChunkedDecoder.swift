/// Incremental decoder for `Transfer-Encoding: chunked` bodies (RFC 9112 §7.1), used for request
/// and response bodies alike. Zero-copy: it reports where the data bytes are, the caller forwards them.
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

    public let limits: HTTPLimits

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Decodes as far as `input` allows. Call repeatedly with the unconsumed rest until it consumes
    /// 0 bytes (needs more input) or reports `finished`.
    public mutating func decode(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> Step {
        Step(consumed: 0, data: nil, finished: false) // implemented in the codec work
    }
}
