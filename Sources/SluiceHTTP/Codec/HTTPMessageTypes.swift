/// A request method. The common ones are recognised without comparing strings; any other valid
/// token is `.other` and its bytes are at `HTTPRequestHead.methodRange`.
public enum HTTPMethod: UInt8, Sendable {
    case GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE, CONNECT, other
}

/// The form of a request-target (RFC 9112 §3.2).
public enum HTTPTargetForm: UInt8, Sendable {
    /// `/path?query`, the usual form.
    case origin
    /// `http://host[:port]/path?query` (`http` or `https`), what clients send to proxies.
    case absolute
    /// `host:port`, only with CONNECT.
    case authority
    /// `*`, only with OPTIONS.
    case asterisk
}

/// The protocol version of a message. Only HTTP/1.0 and HTTP/1.1 are spoken; a request with
/// `HTTP/1.x` (x > 1) is handled as 1.1 (RFC 9110 §6.2), HTTP/2+ in HTTP/1 syntax is a 505.
public enum HTTPVersion: UInt8, Sendable {
    case http10, http11
}

/// How the body of a message is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body at all (requests without CL/TE; HEAD/1xx/204/304 responses).
    case none
    /// Exactly this many bytes follow the head (may be 0).
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`; decode with `HTTP1ChunkedDecoder`.
    case chunked
    /// Responses only: the body runs until the upstream closes the connection.
    case untilClose
}

/// A field line of a parsed head, as byte offsets into the buffer that was parsed (relative to the
/// start of that buffer). Names keep their original case; values are trimmed of leading/trailing
/// whitespace. Stored as `Int32` pairs so a head of 100 fields is 1.6 KiB with no allocation per field.
public struct HTTPField: Sendable, Equatable {
    public var nameStart: Int32
    public var nameEnd: Int32
    public var valueStart: Int32
    public var valueEnd: Int32

    public init(nameStart: Int32, nameEnd: Int32, valueStart: Int32, valueEnd: Int32) {
        self.nameStart = nameStart
        self.nameEnd = nameEnd
        self.valueStart = valueStart
        self.valueEnd = valueEnd
    }

    public var nameRange: Range<Int> { Int(nameStart)..<Int(nameEnd) }
    public var valueRange: Range<Int> { Int(valueStart)..<Int(valueEnd) }
}

/// Field names the codec recognises while parsing, so callers never compare strings for them.
/// `.other` for every other name.
public enum HTTPKnownField: UInt8, Sendable {
    case host, contentLength, transferEncoding, connection, keepAlive, expect, upgrade, te, trailer,
         proxyConnection, proxyAuthorization, proxyAuthenticate, authorization, contentType, date, server,
         xForwardedFor, xForwardedProto, xForwardedHost, xRequestID,
         /// The gateway's identity fields for upstreams; also matched when spelt with `_` for `-`.
         xConsumerID, xConsumerTier, other
}
