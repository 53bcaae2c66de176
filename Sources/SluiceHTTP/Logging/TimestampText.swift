/// RFC 3339 UTC timestamps with milliseconds (`2026-11-23T17:20:05.123Z`) appended to a byte
/// buffer. The text up to the seconds is cached and rebuilt once per second, so a log line pays a
/// compare and seven byte appends. Single-threaded: one per writer (a worker's access log).
public struct TimestampText: Sendable {
    private var second: Int64 = .min
    /// `YYYY-MM-DDTHH:MM:SS.`
    private var prefix: [UInt8] = []

    public init() {}

    /// Appends the timestamp of `wallMilliseconds` (since the Unix epoch).
    public mutating func append<Sink: ByteSink>(wallMilliseconds: Int64, to out: inout Sink) {
        let seconds = wallMilliseconds >= 0 ? wallMilliseconds / 1000 : (wallMilliseconds - 999) / 1000
        if seconds != second {
            second = seconds
            prefix = Array(UTCTime(secondsSince1970: seconds).rfc3339.utf8.dropLast())
            prefix.append(UInt8(ascii: "."))
        }
        prefix.withUnsafeBytes { out.append($0) }
        let milliseconds = Int(wallMilliseconds - seconds * 1000)
        out.append(0x30 &+ UInt8(milliseconds / 100))
        out.append(0x30 &+ UInt8(milliseconds / 10 % 10))
        out.append(0x30 &+ UInt8(milliseconds % 10))
        out.append(UInt8(ascii: "Z"))
    }

    /// As `append(wallMilliseconds:to:)`, into a `LogLineBuffer`.
    public mutating func append(wallMilliseconds: Int64, to out: LogLineBuffer) {
        var sink = out
        append(wallMilliseconds: wallMilliseconds, to: &sink)
    }

    /// The current time, as a `String` (for event logs, off the hot path).
    public static func now() -> String {
        var text = TimestampText()
        var bytes: [UInt8] = []
        text.append(wallMilliseconds: MonotonicClock.wallMilliseconds(), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
