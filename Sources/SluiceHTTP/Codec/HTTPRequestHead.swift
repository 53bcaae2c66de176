/// A parsed request head. All ranges are byte offsets into the buffer the parser was given.
/// Owned by `HTTP1RequestParser` and reused from request to request (its `fields` keep their
/// capacity), so parsing a request allocates nothing in the steady state.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod = .GET
    public var methodRange: Range<Int> = 0..<0
    /// The request-target exactly as received (origin-form, absolute-form, authority-form for
    /// CONNECT, or `*` for OPTIONS).
    public var targetRange: Range<Int> = 0..<0
    /// Which of the four forms of RFC 9112 §3.2 the target has.
    public var targetForm: HTTPTargetForm = .origin
    /// Within `targetRange`: the path part (up to `?`), and the query including its `?` (empty if none).
    /// For absolute-form the path after the authority (may be empty); empty for authority-form and `*`.
    public var pathRange: Range<Int> = 0..<0
    public var queryRange: Range<Int> = 0..<0
    /// Absolute-form: the authority (host[:port]) inside the target, which takes precedence over
    /// Host (RFC 9112 §3.2.2). Authority-form: the whole target. Otherwise empty.
    public var authorityRange: Range<Int> = 0..<0
    public var version: HTTPVersion = .http11
    /// Field lines in order of arrival.
    public var fields: [HTTPField] = []
    /// `knownFields[i]` classifies `fields[i]`.
    public var knownFields: [HTTPKnownField] = []
    /// Index into `fields` of the single Host field, if any.
    public var hostFieldIndex: Int? = nil
    public var framing: HTTPBodyFraming = .none
    /// After this request, the connection may carry another (RFC 9112 §9.3).
    public var keepAlive: Bool = true
    /// The client sent `Expect: 100-continue`.
    public var expectContinue: Bool = false
    /// The `Connection` field named at least one field besides close/keep-alive: those fields are
    /// hop-by-hop for this message and a proxy must drop them (RFC 9110 §7.6.1).
    public var connectionNamesOtherFields: Bool = false
    /// Bytes of the whole head, including the final empty line and any empty lines skipped before
    /// the request line: always equal to the `consumed` of the `.complete` result.
    public var headLength: Int = 0

    public init() {}
}

/// A parsed response head (client side). Same conventions as `HTTPRequestHead`.
public struct HTTPResponseHead: Sendable {
    public var version: HTTPVersion = .http11
    public var status: Int = 0
    public var reasonRange: Range<Int> = 0..<0
    public var fields: [HTTPField] = []
    public var knownFields: [HTTPKnownField] = []
    /// Depends on the request method (HEAD has no body) and the status (1xx/204/304 have none).
    public var framing: HTTPBodyFraming = .none
    /// The upstream lets this connection carry another request after this response.
    public var keepAlive: Bool = true
    public var connectionNamesOtherFields: Bool = false
    public var headLength: Int = 0

    public init() {}

    /// 1xx responses other than 101 are interim: a final response follows on the same connection.
    /// 101 (Switching Protocols) ends HTTP/1.1 on the connection; we never ask for an upgrade, so
    /// the caller treats it as a final (bad) response.
    public var isInterim: Bool { status >= 100 && status < 200 && status != 101 }
}

/// Outcome of one parse attempt over the bytes received so far.
public enum HTTPHeadParseResult: Sendable, Equatable {
    /// The head is not complete yet: read more and call again with the longer buffer.
    case incomplete
    /// The head is complete and `consumed` bytes (its length) belong to it; the parsed head is in
    /// the parser's `head` property until the next call.
    case complete(consumed: Int)
    /// The bytes cannot be a valid head; answer `error.status` and close.
    case failed(HTTPParseError)
}
