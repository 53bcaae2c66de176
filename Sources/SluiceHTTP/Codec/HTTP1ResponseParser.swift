/// Strict, resumable HTTP/1.1 response-head parser for the upstream client. Same contract as
/// `HTTP1RequestParser`; the framing of the body depends on the request it answers.
public struct HTTP1ResponseParser: Sendable {
    public let limits: HTTPLimits
    public private(set) var head = HTTPResponseHead()

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Parses the response head at the start of `buffer`, answering a request with method `requestMethod`.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer, requestMethod: HTTPMethod) -> HTTPHeadParseResult {
        .incomplete // implemented in the codec work
    }

    public mutating func reset() {}
}
