/// Every size limit the HTTP/1.1 codec enforces, in one place. Each limit names the status a
/// server answers when a request exceeds it.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line (method SP target SP version), excluding CRLF. Over it: 414.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Longest method. RFC 9112 §3 lets a server refuse a method longer than any it implements; a
    /// gateway forwards extension methods, so this only bounds garbage (the longest registered
    /// method, `UPDATEREDIRECTREF`, has 17 bytes). Over it: 400, an invalid request line.
    public var maxMethodBytes: Int = 64
    /// Longest head (start line + all field lines + CRLFs). Over it: 431.
    public var maxHeadBytes: Int = 32 * 1024
    /// Most field lines in one head (trailers count separately against the same number). Over it: 431.
    public var maxHeaderCount: Int = 100
    /// Longest chunk-size line including extensions, excluding CRLF. Over it: 400.
    public var maxChunkLineBytes: Int = 4 * 1024
    /// Longest trailer section of a chunked body. Over it: 431.
    public var maxTrailerBytes: Int = 8 * 1024
    /// Empty lines (CRLF) tolerated before a request line (RFC 9112 §2.2 says ignore at least one).
    public var maxLeadingEmptyLines: Int = 4

    public init() {}
}
