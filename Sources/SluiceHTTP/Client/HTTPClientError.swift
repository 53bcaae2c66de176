/// Why an upstream exchange failed, where, and whether the request may be retried on another
/// connection.
///
/// An upstream that closes before the response is complete (mid-head or mid-body of a response
/// whose framing is not close-delimited) is always `.reset`: a truncated body is never reported as
/// a success. Carries context for logs (target, errno, failing call) but no request data.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The target refused the TCP connection (ECONNREFUSED).
        case connectRefused
        /// The TCP connection was not established within the connect timeout.
        case connectTimeout
        /// Connecting failed for another reason (unreachable network, no route, bad address...).
        case connectFailed
        /// The connection was reset or closed (ECONNRESET, EPIPE, EOF) before the response completed.
        case reset
        /// No byte of the response arrived within the response timeout after the request was written.
        case responseTimeout
        /// The response stalled: no byte arrived for the read-idle timeout while reading it.
        case readTimeout
        /// The upstream stopped accepting the request: queued request bytes made no progress for
        /// the read-idle timeout.
        case writeTimeout
        /// The response head or chunked framing violated HTTP/1.1 (RFC 9112).
        case malformedResponse(HTTPParseError)
        /// The response body exceeded the configured maximum.
        case bodyTooLarge
        /// The pool for this target already holds its maximum number of connections.
        case poolExhausted
    }

    public var kind: Kind
    /// The upstream the exchange was talking to.
    public var target: UpstreamTarget
    /// The errno behind the failure, 0 if none (timeouts, EOF, parse errors).
    public var errno: Int32
    /// The system call that failed (`"connect"`, `"read"`, `"writev"`), or `""`.
    public var call: StaticString
    /// At least one byte of the response had been received when the exchange failed.
    public var responseStarted: Bool
    /// The connection had carried an earlier exchange and was taken from the idle pool.
    public var connectionReused: Bool
    /// The request's method is idempotent (RFC 9110 §9.2.2), as declared when it was started.
    public var requestIdempotent: Bool

    public init(_ kind: Kind, target: UpstreamTarget, errno: Int32 = 0, call: StaticString = "",
                responseStarted: Bool = false, connectionReused: Bool = false, requestIdempotent: Bool = false) {
        self.kind = kind
        self.target = target
        self.errno = errno
        self.call = call
        self.responseStarted = responseStarted
        self.connectionReused = connectionReused
        self.requestIdempotent = requestIdempotent
    }

    /// Whether sending the same request again on another connection is safe.
    ///
    /// - Connect failures and pool exhaustion: nothing was sent, always safe.
    /// - A reset only when no byte of the response arrived, the request is idempotent, and the
    ///   connection was a reused idle one (the classic stale keep-alive race: the upstream closed
    ///   it while idle, so it never saw the request). A reset on a fresh connection may mean the
    ///   upstream received the request and crashed on it; a non-idempotent request may have been
    ///   processed before the reset.
    /// - Timeouts, malformed responses and body limits are never retry-safe: the upstream may be
    ///   processing the request, or will answer the same way.
    /// The caller must still be able to replay the request body.
    public var isRetrySafe: Bool {
        switch kind {
        case .connectRefused, .connectTimeout, .connectFailed, .poolExhausted:
            return true
        case .reset:
            return !responseStarted && requestIdempotent && connectionReused
        case .responseTimeout, .readTimeout, .writeTimeout, .malformedResponse, .bodyTooLarge:
            return false
        }
    }

    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool {
        lhs.kind == rhs.kind && lhs.target == rhs.target && lhs.errno == rhs.errno
            && lhs.call.description == rhs.call.description && lhs.responseStarted == rhs.responseStarted
            && lhs.connectionReused == rhs.connectionReused && lhs.requestIdempotent == rhs.requestIdempotent
    }

    public var description: String {
        var text = "upstream \(target): \(kind)"
        if errno != 0 { text += " (\(call) errno \(errno))" }
        return text
    }
}
