extension HTTPServer {
    /// Everything the server can be told. Durations are `Duration`s; the server converts them to
    /// nanoseconds once.
    public struct Configuration: Sendable {
        /// Where to listen; port 0 picks a free port (read it back from `start()`).
        public var listenAddress: SocketAddress
        /// Event loops (each with its own listening socket). Default: one per CPU.
        public var workers: Int = SystemInfo.onlineCPUCount
        /// Codec limits (request line, head size and count, chunk lines, trailers).
        public var limits = HTTPLimits()
        /// From the first byte of a request (or from accept for a fresh connection) until its head
        /// is complete, absolute: the slow-loris defence. Over it: 408 and close.
        public var headerReadTimeout: Duration = .seconds(10)
        /// How long an idle keep-alive connection may wait for its next request.
        public var idleTimeout: Duration = .seconds(60)
        /// Longest pause between two reads of a request body.
        public var bodyReadTimeout: Duration = .seconds(30)
        /// Longest time a response write may stay stuck (no progress) before the connection is dropped.
        public var writeTimeout: Duration = .seconds(30)
        /// After the last response on a closing connection: how long unread request bytes are
        /// drained so the client reads the response instead of a reset.
        public var lingerTimeout: Duration = .seconds(2)
        /// Connections per worker; at the limit the worker stops accepting until one closes.
        public var maxConnectionsPerWorker = 16_384
        /// Default request body limit; a handler can change it per request. Over it: 413.
        public var maxRequestBodyBytes = 1 << 20
        /// Default for `shutdown()`: how long in-flight requests may take to finish.
        public var drainDeadline: Duration = .seconds(10)
        /// Instead of one `SO_REUSEPORT` listening socket per worker (the kernel hashes each new
        /// connection to one of them), one socket registered by every worker with `EPOLLEXCLUSIVE`
        /// (one idle worker is woken per connection). Default false.
        public var sharedListener = false
        /// listen(2) backlog of each listening socket.
        public var backlog: Int32 = 4096

        public init(listenAddress: SocketAddress) {
            self.listenAddress = listenAddress
        }
    }
}

extension Duration {
    /// Whole nanoseconds (saturating at 0 for negative durations).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
