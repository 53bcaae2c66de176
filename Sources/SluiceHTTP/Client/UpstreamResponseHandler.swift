/// Receives the response of one exchange started with `UpstreamConnection.startRequest`, on the
/// connection's event loop, streaming and zero-copy.
///
/// Every `UnsafeRawBufferPointer` passed in is a view of the connection's receive buffer, valid
/// only during the call: forward it (e.g. `WriteQueue.write(to:_:)`, which copies only what the
/// socket did not take) or copy it. Exactly one of `upstreamResponseEnd` or `upstreamFailed` ends
/// every exchange; after it the handler is released and must not touch the connection again
/// (it may already be serving another exchange or be closed).
///
/// Re-entrancy: inside a callback the handler may call `pauseResponse()`, `resumeResponse()`,
/// `writeRequestBody`, `endRequest()` or `cancel()` on the connection; no further callback for this
/// exchange happens after `cancel()`.
public protocol UpstreamResponseHandler: AnyObject {
    /// A final (non-1xx) response head. `bytes` is the raw head exactly as received (status line
    /// through the empty line); the ranges in `head` are offsets into it.
    func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer)

    /// The next piece of the body, framing removed (Content-Length counted, chunk framing decoded;
    /// a close-delimited body is passed through as received).
    func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer)

    /// The response is complete. `trailers` holds the trailer field lines of a chunked body (without
    /// the final CRLF), `nil` when there were none. The connection has already gone back to its
    /// pool or been closed.
    func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?)

    /// The exchange failed; see `HTTPClientError.isRetrySafe`. The connection is closed.
    func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError)

    /// The request's queued bytes fell to the low water mark after `writeRequestBody` returned
    /// false: the producer (the downstream read side) may resume. Also delivered when the upstream
    /// stopped reading the request while the producer was blocked: then `isAcceptingRequestBody`
    /// is false and the next `writeRequestBody` returns false (the exchange still ends with the
    /// response or a failure).
    func upstreamRequestWritable(_ connection: UpstreamConnection)

    /// A 1xx interim response was received and skipped (the final response follows). Optional.
    func upstreamInterimResponse(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer)
}

extension UpstreamResponseHandler {
    public func upstreamRequestWritable(_ connection: UpstreamConnection) {}
    public func upstreamInterimResponse(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {}
}
