import SluiceHTTP

/// The rate-limit decision an access log line reports in `limit` (null when no limit applied).
public enum AccessLogLimit: Sendable {
    case allowed, limited, delayed

    var text: StaticString {
        switch self {
        case .allowed: "allowed"
        case .limited: "limited"
        case .delayed: "delayed"
        }
    }
}

/// One worker's access log: lines are built in a reusable byte buffer on the worker's loop and
/// handed to the shared `BatchedLogWriter` thread in batches — when the buffer passes
/// `flushBytes`, or `flushNanoseconds` after the first line of a batch (a loop timer), and at
/// shutdown (`flush()`). The proxy's loop never writes to the sink itself.
///
/// A line (one JSON object, members in this order):
/// `{"time":"2026-11-23T17:20:05.123Z","request_id":"…","client_ip":"127.0.0.1","method":"GET",
/// "path":"/api/users","route":"users-api","upstream":"users","target":"10.0.0.5:8080","status":200,
/// "bytes_in":123,"bytes_out":456,"duration_ms":1.234,"upstream_duration_ms":0.987,
/// "consumer_id":null,"tier":null,"limit":null}`
/// — `time` when the answer ended; `path` without the query unless `--access-log-query`;
/// `route`/`upstream`/`target` null when not routed or not forwarded; `bytes_in` the request
/// head plus body bytes received, `bytes_out` the response body bytes sent (the proxy's own JSON
/// error bodies included); `upstream_duration_ms` null when no upstream was asked; `method` is
/// `OTHER` for extension methods and null (with `path` null) for requests the engine refused
/// before parsing their head (400, 408, 431).
///
/// Thread affinity: its worker's loop.
final class AccessLogBuffer: EventLoopTimerHandler {
    static let flushBytes = 64 * 1024
    static let flushNanoseconds: UInt64 = 100_000_000

    let loop: EventLoop
    let writer: BatchedLogWriter
    let includeQuery: Bool
    private var buffer: [UInt8] = []
    private var lines = 0
    private var timestamp = TimestampText()
    private var timer = TimerToken.none

    init(loop: EventLoop, writer: BatchedLogWriter, includeQuery: Bool) {
        self.loop = loop
        self.writer = writer
        self.includeQuery = includeQuery
        buffer.reserveCapacity(Self.flushBytes + 1024)
    }

    /// The logged part of a request-target: up to `?` unless queries are logged.
    @inline(__always)
    func loggedPath(_ target: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard !includeQuery, let question = target.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return UnsafeRawBufferPointer(rebasing: target[..<question])
    }

    struct Line {
        var method: HTTPMethod?
        var route: String?
        var upstream: String?
        var target: [UInt8]?
        var status: Int
        var bytesIn: Int
        var bytesOut: Int
        var durationNanoseconds: UInt64
        var upstreamNanoseconds: UInt64?
        var consumerID: String?
        var tier: String?
        var limit: AccessLogLimit?
    }

    /// Appends one line; `path` nil for requests without a parsed head.
    func append(_ line: Line, requestID: [UInt8], clientIP: [UInt8], path: UnsafeRawBufferPointer?) {
        literal(#"{"time":""#)
        timestamp.append(wallMilliseconds: MonotonicClock.wallMilliseconds(), to: &buffer)
        literal(#"","request_id":""#)
        JSONText.appendEscapedBytes(requestID, to: &buffer)
        literal(#"","client_ip":""#)
        JSONText.appendEscapedBytes(clientIP, to: &buffer)
        literal(#"","method":"#)
        if let method = line.method {
            buffer.append(0x22)
            literal(HTTPMethod.metricLiterals[Int(method.rawValue)])
            buffer.append(0x22)
        } else {
            literal("null")
        }
        literal(#","path":"#)
        if let path {
            buffer.append(0x22)
            JSONText.appendEscapedBytes(path, to: &buffer)
            buffer.append(0x22)
        } else {
            literal("null")
        }
        literal(#","route":"#)
        appendOptional(line.route)
        literal(#","upstream":"#)
        appendOptional(line.upstream)
        literal(#","target":"#)
        if let target = line.target {
            buffer.append(0x22)
            JSONText.appendEscapedBytes(target, to: &buffer)
            buffer.append(0x22)
        } else {
            literal("null")
        }
        literal(#","status":"#)
        JSONText.appendInteger(line.status, to: &buffer)
        literal(#","bytes_in":"#)
        JSONText.appendInteger(line.bytesIn, to: &buffer)
        literal(#","bytes_out":"#)
        JSONText.appendInteger(line.bytesOut, to: &buffer)
        literal(#","duration_ms":"#)
        JSONText.appendMilliseconds(nanoseconds: line.durationNanoseconds, to: &buffer)
        literal(#","upstream_duration_ms":"#)
        if let upstream = line.upstreamNanoseconds {
            JSONText.appendMilliseconds(nanoseconds: upstream, to: &buffer)
        } else {
            literal("null")
        }
        literal(#","consumer_id":"#)
        appendOptional(line.consumerID)
        literal(#","tier":"#)
        appendOptional(line.tier)
        literal(#","limit":"#)
        if let limit = line.limit {
            buffer.append(0x22)
            limit.text.withUTF8Buffer { buffer.append(contentsOf: $0) }
            buffer.append(0x22)
        } else {
            literal("null")
        }
        literal("}\n")
        lines += 1
        if buffer.count >= Self.flushBytes {
            flush()
        } else if timer == .none {
            timer = loop.armTimer(after: Self.flushNanoseconds, handler: self)
        }
    }

    /// Appends a literal's bytes (a `StaticString` copies as one contiguous buffer).
    @inline(__always)
    private func literal(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private func appendOptional(_ text: String?) {
        guard let text else { return literal("null") }
        buffer.append(0x22)
        JSONText.appendEscaped(text, to: &buffer)
        buffer.append(0x22)
    }

    /// Hands the buffered lines to the writer thread (dropped and counted there if it is full).
    func flush() {
        if timer != .none {
            loop.cancelTimer(timer)
            timer = .none
        }
        guard lines > 0 else { return }
        var batch: [UInt8] = []
        batch.reserveCapacity(Self.flushBytes + 1024)
        swap(&batch, &buffer)
        writer.submit(batch, lines: lines)
        lines = 0
    }

    func timerFired(tag: Int) {
        timer = .none
        flush()
    }
}
