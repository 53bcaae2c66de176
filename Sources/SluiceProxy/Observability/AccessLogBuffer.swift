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
/// — `time` when the answer ended; route, upstream and target text is rendered once per config
/// (`routeField`, `targetField` in `ProxyWorkerState`), not per line; `path` without the query unless `--access-log-query`;
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
    private let buffer = LogLineBuffer(capacity: AccessLogBuffer.flushBytes + 4096)
    private var lines = 0
    private var timestamp = TimestampText()
    private var timer = TimerToken.none

    init(loop: EventLoop, writer: BatchedLogWriter, includeQuery: Bool) {
        self.loop = loop
        self.writer = writer
        self.includeQuery = includeQuery
    }

    /// The logged part of a request-target: up to `?` unless queries are logged.
    @inline(__always)
    func loggedPath(_ target: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard !includeQuery, let question = target.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return UnsafeRawBufferPointer(rebasing: target[..<question])
    }

    struct Line {
        var method: HTTPMethod?
        /// `"route":"name"` as JSON (`routeField`), nil for `"route":null`.
        var routeField: [UInt8]?
        /// `,"upstream":"name","target":"host:port"` as JSON (`targetFields`), nil for nulls.
        var targetField: [UInt8]?
        var status: Int
        var bytesIn: Int
        var bytesOut: Int
        var durationNanoseconds: UInt64
        var upstreamNanoseconds: UInt64?
        var consumerID: String?
        var tier: String?
        var limit: AccessLogLimit?
    }

    /// `"route":"<name>"`, rendered once per config and worker (names are escaped here, not per line).
    static func routeField(_ name: String) -> [UInt8] {
        var out: [UInt8] = Array(#""route":""#.utf8)
        JSONText.appendEscaped(name, to: &out)
        out.append(0x22)
        return out
    }

    /// `,"upstream":"<name>","target":"<host:port>"`, rendered once per config, worker and target.
    static func targetField(upstream: String, target: [UInt8]) -> [UInt8] {
        var out: [UInt8] = Array(#","upstream":""#.utf8)
        JSONText.appendEscaped(upstream, to: &out)
        out += Array(#"","target":""#.utf8)
        JSONText.appendEscapedBytes(target, to: &out)
        out.append(0x22)
        return out
    }

    /// Appends one line; `path` nil for requests without a parsed head. `requestID` (validated
    /// or generated: `[A-Za-z0-9._-]`) and `clientIP` (digits, `.`, `:`, hex) need no escaping.
    func append(_ line: Line, requestID: [UInt8], clientIP: [UInt8], path: UnsafeRawBufferPointer?) {
        let out = buffer
        out.append(#"{"time":""#)
        timestamp.append(wallMilliseconds: MonotonicClock.wallMilliseconds(), to: out)
        out.append(#"","request_id":""#)
        out.append(requestID)
        out.append(#"","client_ip":""#)
        out.append(clientIP)
        if let method = line.method {
            out.append(#"","method":""#)
            out.append(HTTPMethod.metricLiterals[Int(method.rawValue)])
            out.append(#"","path":"#)
        } else {
            out.append(#"","method":null,"path":"#)
        }
        if let path {
            out.append(0x22)
            out.appendJSONEscaped(path)
            out.append(#"","#)
        } else {
            out.append(#"null,"#)
        }
        if let route = line.routeField { out.append(route) } else { out.append(#""route":null"#) }
        if let target = line.targetField { out.append(target) } else { out.append(#","upstream":null,"target":null"#) }
        out.append(#","status":"#)
        out.append(decimal: line.status)
        out.append(#","bytes_in":"#)
        out.append(decimal: line.bytesIn)
        out.append(#","bytes_out":"#)
        out.append(decimal: line.bytesOut)
        out.append(#","duration_ms":"#)
        out.append(millisecondsOf: line.durationNanoseconds)
        if let upstream = line.upstreamNanoseconds {
            out.append(#","upstream_duration_ms":"#)
            out.append(millisecondsOf: upstream)
        } else {
            out.append(#","upstream_duration_ms":null"#)
        }
        if line.consumerID == nil && line.tier == nil && line.limit == nil {
            out.append(#","consumer_id":null,"tier":null,"limit":null}\#n"#)
        } else {
            out.append(#","consumer_id":"#)
            appendOptional(line.consumerID)
            out.append(#","tier":"#)
            appendOptional(line.tier)
            if let limit = line.limit {
                out.append(#","limit":""#)
                out.append(limit.text)
                out.append("\"}\n")
            } else {
                out.append(#","limit":null}\#n"#)
            }
        }
        lines += 1
        if out.count >= Self.flushBytes {
            flush()
        } else if timer == .none {
            timer = loop.armTimer(after: Self.flushNanoseconds, handler: self)
        }
    }

    private func appendOptional(_ text: String?) {
        guard let text else { return buffer.append("null") }
        buffer.append(0x22)
        buffer.appendJSONEscaped(text)
        buffer.append(0x22)
    }

    /// Hands the buffered lines to the writer thread (dropped and counted there if it is full).
    func flush() {
        if timer != .none {
            loop.cancelTimer(timer)
            timer = .none
        }
        guard lines > 0 else { return }
        writer.submit(buffer.copyBytes(), lines: lines)
        buffer.removeAll()
        lines = 0
    }

    func timerFired(tag: Int) {
        timer = .none
        flush()
    }
}
