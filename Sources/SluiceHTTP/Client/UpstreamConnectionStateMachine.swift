/// The lifecycle of one upstream HTTP/1.1 connection, as a value: each event returns the action
/// the owning `UpstreamConnection` must perform. No sockets, no timers, no allocation.
///
/// ```
/// connecting ──connected──▶ idle ◀──release(reusable)── busy ──▶ closed
///      │ (a request may be started while connecting; it is written once connected)
///      └──connectFailed──▶ closed          any failure, EOF or non-reusable end ──▶ closed
/// ```
/// An exchange (busy) is one request and its response. The connection returns to idle only when
/// the request was fully written, the response was completely framed (Content-Length reached, last
/// chunk and trailers read, or no body), the upstream allowed keep-alive, and no byte followed the
/// response. Everything else closes it. EOF before a non-close-delimited response completed is a
/// `.reset` failure, never a truncated success.
public struct UpstreamConnectionStateMachine: Sendable {
    /// Where the connection is in its lifecycle. A connection whose request was started while the
    /// handshake is still running is `.busy` (see `isConnected`).
    public enum Phase: Sendable, Equatable {
        case connecting, idle, busy, closed
    }

    /// How far the response of the current exchange has been read.
    public enum ResponseProgress: Sendable, Equatable {
        case awaitingHead
        case contentLength(remaining: Int)
        case chunked
        case untilClose
    }

    /// What to do when an exchange ends successfully: deliver the end, then either hand the
    /// connection back to its pool (`reusable`) or close it.
    public enum EndAction: Sendable, Equatable {
        case release(reusable: Bool)
    }

    public enum ConnectedAction: Sendable, Equatable {
        /// A request was started while connecting: start writing it.
        case startWriting
        /// No request waits: the connection is idle.
        case becomeIdle
    }

    public enum RequestWrittenAction: Sendable, Equatable {
        /// The whole request is in the kernel and no response byte has arrived: start the response timeout.
        case armResponseTimeout
        case none
    }

    public enum HeadAction: Sendable, Equatable {
        /// A 1xx interim response: skip it, a final response follows.
        case skipInterim
        /// A final head: deliver it; if `end` is set the response has no body and ends here.
        case deliver(end: EndAction?)
        case fail(HTTPClientError)
    }

    public enum BodyAction: Sendable, Equatable {
        /// Deliver the first `count` bytes of what was offered; if `end` is set the body is complete.
        case deliver(count: Int, end: EndAction?)
        case fail(HTTPClientError)
    }

    public enum EOFAction: Sendable, Equatable {
        /// No exchange was in progress (an idle connection closed by the upstream): just close.
        case close
        /// A close-delimited body ended: deliver the end, then close.
        case finish(EndAction)
        case fail(HTTPClientError)
    }

    public enum FailureAction: Sendable, Equatable {
        /// No exchange was in progress: close without reporting.
        case close
        /// Report the failure to the exchange's consumer, then close.
        case fail(HTTPClientError)
    }

    struct Exchange: Sendable {
        var method: HTTPMethod
        var idempotent: Bool
        var reused: Bool
        var requestWritten = false
        var responseStarted = false
        var response = ResponseProgress.awaitingHead
        var keepAlive = true
        var bodyBytes = 0
    }

    public let target: UpstreamTarget
    /// Largest response body accepted; `nil` for no limit.
    public let maxResponseBodyBytes: Int?
    private var handshakeCompleted = false
    private var closed = false
    private var exchange: Exchange?
    /// Exchanges completed on this connection; a request started after the first one is on a reused connection.
    public private(set) var completedExchanges = 0

    /// A connection whose TCP handshake has started.
    public init(target: UpstreamTarget, maxResponseBodyBytes: Int? = nil) {
        self.target = target
        self.maxResponseBodyBytes = maxResponseBodyBytes
    }

    public var phase: Phase {
        if closed { return .closed }
        if exchange != nil { return .busy }
        return handshakeCompleted ? .idle : .connecting
    }

    /// The TCP handshake completed (a busy connection may still be connecting: its request waits).
    public var isConnected: Bool { handshakeCompleted }

    /// How far the current response has been read, `nil` outside an exchange.
    public var responseProgress: ResponseProgress? { exchange?.response }

    /// The method of the request in flight, `nil` outside an exchange.
    public var requestMethod: HTTPMethod? { exchange?.method }

    /// At least one response byte arrived in the current exchange.
    public var responseStarted: Bool { exchange?.responseStarted ?? false }

    // MARK: - Connecting

    public mutating func connected() -> ConnectedAction {
        guard !closed, !handshakeCompleted else { return .becomeIdle }
        handshakeCompleted = true
        return exchange == nil ? .becomeIdle : .startWriting
    }

    /// The handshake failed (`kind` is one of the connect kinds). The connection is closed.
    public mutating func connectFailed(_ kind: HTTPClientError.Kind, errno: Int32) -> HTTPClientError {
        let error = makeError(kind, errno: errno, call: "connect")
        closed = true
        exchange = nil
        return error
    }

    // MARK: - Request

    /// Starts an exchange. Returns false (and changes nothing) unless the connection is idle or
    /// connecting without a request: a pool never hands out a busy or closed connection.
    /// - Parameter idempotent: whether the request may be replayed (RFC 9110 §9.2.2); only
    ///   recorded for `HTTPClientError.isRetrySafe`.
    public mutating func startRequest(method: HTTPMethod, idempotent: Bool) -> Bool {
        guard !closed, exchange == nil else { return false }
        exchange = Exchange(method: method, idempotent: idempotent, reused: completedExchanges > 0)
        return true
    }

    /// The request's last byte (head and body) was accepted by the kernel.
    public mutating func requestWritten() -> RequestWrittenAction {
        guard !closed, var current = exchange else { return .none }
        current.requestWritten = true
        exchange = current
        return current.responseStarted ? .none : .armResponseTimeout
    }

    // MARK: - Response

    /// Bytes arrived. Returns false when no exchange is in progress: an upstream that speaks
    /// unasked is broken, the caller closes the connection.
    public mutating func receivedBytes() -> Bool {
        guard !closed, exchange != nil else { return false }
        exchange?.responseStarted = true
        return true
    }

    /// A complete response head was parsed (its framing already reflects the request method).
    public mutating func receivedHead(_ head: HTTPResponseHead) -> HeadAction {
        guard !closed, var current = exchange, current.response == .awaitingHead else {
            return .fail(fail(.malformedResponse(HTTPParseError(.invalidStatusLine, at: 0))))
        }
        current.responseStarted = true
        exchange = current
        // RFC 9110 §15.2.2: 101 only answers an Upgrade request, and we never send one.
        if head.status == 101 {
            return .fail(fail(.malformedResponse(HTTPParseError(.invalidStatusCode, at: 9))))
        }
        if head.isInterim {
            return .skipInterim
        }
        current.keepAlive = head.keepAlive
        switch head.framing {
        case .none, .contentLength(0):
            // Bytes that followed the head are the connection's to check: `UpstreamConnection.complete`
            // never pools a connection with unread bytes.
            exchange = current
            return .deliver(end: end(extraBytes: false))
        case .contentLength(let length):
            if let max = maxResponseBodyBytes, length > max {
                exchange = current
                return .fail(fail(.bodyTooLarge))
            }
            current.response = .contentLength(remaining: length)
        case .chunked:
            current.response = .chunked
        case .untilClose:
            current.response = .untilClose
            current.keepAlive = false
        }
        exchange = current
        return .deliver(end: nil)
    }

    /// `available` body bytes arrived (for chunked bodies: the data of one chunk step, framing excluded).
    /// For a Content-Length body the answer may deliver fewer bytes than offered and end the
    /// response: bytes beyond the framed end make the connection not reusable.
    public mutating func receivedBody(_ available: Int) -> BodyAction {
        guard !closed, var current = exchange else { return .deliver(count: 0, end: nil) }
        switch current.response {
        case .awaitingHead:
            return .deliver(count: 0, end: nil)
        case .contentLength(let remaining):
            let count = min(available, remaining)
            current.bodyBytes += count
            current.response = .contentLength(remaining: remaining - count)
            exchange = current
            if remaining - count == 0 {
                return .deliver(count: count, end: end(extraBytes: available > count))
            }
            return .deliver(count: count, end: nil)
        case .chunked, .untilClose:
            current.bodyBytes += available
            exchange = current
            if let max = maxResponseBodyBytes, current.bodyBytes > max {
                return .fail(fail(.bodyTooLarge))
            }
            return .deliver(count: available, end: nil)
        }
    }

    /// The last chunk and the trailer section were read. `extraBytes`: bytes followed the body.
    /// Outside a chunked body (a caller bug) the connection is closed: never reused on doubt.
    public mutating func chunkedBodyFinished(extraBytes: Bool) -> EndAction {
        guard !closed, exchange?.response == .chunked else {
            close()
            return .release(reusable: false)
        }
        return end(extraBytes: extraBytes)
    }

    /// The upstream closed its side (read returned 0).
    public mutating func receivedEOF() -> EOFAction {
        guard !closed, let current = exchange else {
            closed = true
            return .close
        }
        if current.response == .untilClose {
            return .finish(end(extraBytes: false))
        }
        return .fail(fail(.reset))
    }

    /// A read or write failed, a timer fired, or a parse error occurred. The connection is closed.
    public mutating func failed(_ kind: HTTPClientError.Kind, errno: Int32 = 0, call: StaticString = "") -> FailureAction {
        guard !closed, exchange != nil else {
            closed = true
            return .close
        }
        return .fail(fail(kind, errno: errno, call: call))
    }

    /// Closed locally (pool eviction, idle timeout, shutdown, consumer cancel). Reports nothing.
    public mutating func close() {
        closed = true
        exchange = nil
    }

    // MARK: - Private

    private mutating func end(extraBytes: Bool) -> EndAction {
        guard let current = exchange else { return .release(reusable: false) }
        let reusable = current.keepAlive && current.requestWritten && !extraBytes && handshakeCompleted
        exchange = nil
        completedExchanges += 1
        if !reusable { closed = true }
        return .release(reusable: reusable)
    }

    private mutating func fail(_ kind: HTTPClientError.Kind, errno: Int32 = 0, call: StaticString = "") -> HTTPClientError {
        let error = makeError(kind, errno: errno, call: call)
        closed = true
        exchange = nil
        return error
    }

    private func makeError(_ kind: HTTPClientError.Kind, errno: Int32, call: StaticString) -> HTTPClientError {
        HTTPClientError(kind, target: target, errno: errno, call: call,
                        responseStarted: exchange?.responseStarted ?? false,
                        connectionReused: exchange?.reused ?? false,
                        requestIdempotent: exchange?.idempotent ?? false)
    }
}
