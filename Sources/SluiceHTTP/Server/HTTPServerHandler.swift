/// The application side of `HTTPServer`: one instance per event loop (made by the server's
/// factory), called on that loop only, for every connection of that loop.
///
/// A request arrives as `requestHead`, then zero or more `requestBody`, then `requestEnd`. The
/// handler answers through the connection at any time from the head on — inside a callback or
/// later from another callback on the same loop (e.g. when an upstream answered): `sendResponse`
/// for a whole response, or `sendResponseHead` + `writeBody`... + `endResponse` to stream.
/// Responses go out in request order: the next pipelined request is not parsed until the current
/// response has ended. Views (`ByteView`) are valid only during the callback.
///
/// A response started before the request body was fully received (an early 401/413, or an
/// upstream answering mid-upload) carries `Connection: close`, and the connection closes after it
/// (unread body bytes are drained and discarded for `lingerTimeout`). `Expect: 100-continue` is
/// answered when the body is first wanted: after `requestHead` returns without a response and
/// without `pauseReading()`, or at `resumeReading()`.
public protocol HTTPServerHandler: AnyObject {
    /// A request head. `bytes` is the head as received; `head`'s ranges index into it.
    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection)
    /// Request body bytes (decoded if chunked), in order, never buffered whole.
    func requestBody(_ bytes: ByteView, connection: HTTPServerConnection)
    /// The body is complete; `trailers` holds the trailer field lines of a chunked body, if any.
    func requestEnd(trailers: ByteView?, connection: HTTPServerConnection)
    /// The connection's write queue drained below its low-water mark after `isWritable` was false.
    func connectionWritable(_ connection: HTTPServerConnection)
    /// A client connection was accepted (before any request on it). Paired with exactly one
    /// `connectionClosed` (e.g. for an open-connections gauge).
    func connectionOpened(_ connection: HTTPServerConnection)
    /// The connection closed (normally or not). Drop per-connection state (e.g. `connection.context`).
    func connectionClosed(_ connection: HTTPServerConnection)
    /// The server must answer an error it detected (malformed head 400/414/431/501/505, 408
    /// timeout, 413 body too large). The default sends `{"error":"<reason>"}`; a handler may add
    /// fields (a request id) by calling `connection.sendErrorResponse(status:reason:extraFields:)` itself.
    func errorResponse(status: Int, reason: StaticString, connection: HTTPServerConnection)
}

extension HTTPServerHandler {
    public func requestBody(_ bytes: ByteView, connection: HTTPServerConnection) {}
    public func requestEnd(trailers: ByteView?, connection: HTTPServerConnection) {}
    public func connectionWritable(_ connection: HTTPServerConnection) {}
    public func connectionOpened(_ connection: HTTPServerConnection) {}
    public func connectionClosed(_ connection: HTTPServerConnection) {}
    public func errorResponse(status: Int, reason: StaticString, connection: HTTPServerConnection) {
        connection.sendErrorResponse(status: status, reason: reason)
    }
}

/// The short reason the server puts in its own error bodies.
enum HTTPServerErrorReason {
    static func reason(for status: Int) -> StaticString {
        switch status {
        case 400: return "malformed request"
        case 408: return "request timeout"
        case 413: return "request body too large"
        case 414: return "request line too long"
        case 417: return "expectation not supported"
        case 431: return "request header fields too large"
        case 501: return "transfer coding not implemented"
        case 505: return "HTTP version not supported"
        default: return "request failed"
        }
    }
}
