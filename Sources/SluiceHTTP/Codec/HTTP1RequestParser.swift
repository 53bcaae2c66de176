/// Strict, resumable HTTP/1.1 request-head parser (RFC 9112, shared/DESIGN.md §5).
///
/// Feed it the bytes received so far for the current request (the buffer always starts at the first
/// byte of this request); it remembers how far it has scanned, so calling it again after each read
/// costs only the new bytes. Not thread-safe: one parser per connection, on its loop.
public struct HTTP1RequestParser: Sendable {
    public let limits: HTTPLimits
    /// The last completed head; valid after `.complete` until the next `parse` or `reset`.
    public private(set) var head = HTTPRequestHead()

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Parses the head at the start of `buffer`.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) -> HTTPHeadParseResult {
        .incomplete // implemented in the codec work
    }

    /// Forgets a partial scan; call before parsing the next request on the connection.
    public mutating func reset() {}
}
