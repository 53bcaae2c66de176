/// Limits and timeouts of the upstream client and its pools, in one place. A value, shared by every
/// pool of a process (or one per upstream); changing it affects only pools created afterwards.
///
/// Timeouts are in milliseconds; 0 disables that timeout.
public struct UpstreamClientConfiguration: Sendable, Equatable {
    /// Time allowed for the TCP handshake. Over it: `.connectTimeout`.
    public var connectTimeoutMilliseconds: Int64 = 3_000
    /// Time from the last byte of the request being written to the first byte of the response.
    /// Over it: `.responseTimeout` (a proxy answers 504).
    public var responseTimeoutMilliseconds: Int64 = 60_000
    /// Longest stall of an exchange in progress: no response byte read (after the first one) while
    /// the consumer is reading (over it: `.readTimeout`), or no request byte accepted by the
    /// upstream while some are queued (over it: `.writeTimeout`). Time the consumer spends paused,
    /// or producing the request body, does not count.
    public var readIdleTimeoutMilliseconds: Int64 = 60_000
    /// How long an idle keep-alive connection may wait in the pool before it is closed.
    /// Keep it below the upstream's own keep-alive timeout to avoid stale-connection races.
    public var idleTimeoutMilliseconds: Int64 = 30_000
    /// Most idle connections kept per target per loop; the oldest beyond it is closed.
    public var maxIdleConnections: Int = 64
    /// Most connections (connecting, busy and idle) per target per loop. Beyond it a checkout fails
    /// with `.poolExhausted`.
    public var maxConnections: Int = 1_024
    /// Largest response body accepted, in bytes; `nil` for no limit (the body is streamed, never
    /// buffered whole). Over it: `.bodyTooLarge`.
    public var maxResponseBodyBytes: Int? = nil
    /// Limits of the response head and chunked framing parsers.
    public var limits: HTTPLimits = HTTPLimits()
    /// Bytes read from the socket at once (the connection's receive buffer capacity).
    public var readBufferBytes: Int = 64 * 1024

    public init() {}
}
