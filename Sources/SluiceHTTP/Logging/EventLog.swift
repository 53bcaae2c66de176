/// Structured event log lines: one JSON object per line on stderr, e.g.
/// `{"time":"2026-11-23T17:20:05.123Z","level":"info","program":"sluice-proxy","event":"config_applied","message":"loaded config version 3 from /etc/sluice.json","version":3}`.
///
/// Members in this order: `time` (RFC 3339 UTC, milliseconds), `level`, `program`, `event` (a
/// stable snake_case name to filter on), `message` (the human text), then the event's own fields.
/// Each line is written whole with one unbuffered `write(2)` (`ProcessOutput`), so lines from
/// different threads never interleave within a line. Not for the request path.
public enum EventLog {
    public enum Level: String, Sendable {
        case debug, info, warning, error
    }

    /// A field value.
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case null
        /// A JSON array.
        case list([Value])
        /// A JSON object, members in this order.
        case object([Member])
    }

    /// One member of an `.object` value.
    public struct Member: Sendable, Equatable {
        public var name: String
        public var value: Value

        public init(_ name: String, _ value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// Writes one event line to stderr.
    public static func write(_ level: Level, program: String, event: String, message: String,
                             fields: [(String, Value)] = []) {
        ProcessOutput.standardError.write(line: line(level, program: program, event: event, message: message,
                                                     fields: fields, time: TimestampText.now()))
    }

    /// The line (without newline), for tests and other sinks.
    public static func line(_ level: Level, program: String, event: String, message: String,
                            fields: [(String, Value)], time: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(160 + message.utf8.count)
        out.append(contentsOf: #"{"time":""#.utf8)
        JSONText.appendEscaped(time, to: &out)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.rawValue.utf8)
        out.append(contentsOf: #"","program":""#.utf8)
        JSONText.appendEscaped(program, to: &out)
        out.append(contentsOf: #"","event":""#.utf8)
        JSONText.appendEscaped(event, to: &out)
        out.append(contentsOf: #"","message":""#.utf8)
        JSONText.appendEscaped(message, to: &out)
        out.append(UInt8(ascii: "\""))
        for (name, value) in fields {
            out.append(contentsOf: #",""#.utf8)
            JSONText.appendEscaped(name, to: &out)
            out.append(contentsOf: #"":"#.utf8)
            append(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .string(let text):
            out.append(UInt8(ascii: "\""))
            JSONText.appendEscaped(text, to: &out)
            out.append(UInt8(ascii: "\""))
        case .int(let number):
            JSONText.appendInteger(number, to: &out)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null:
            out.append(contentsOf: "null".utf8)
        case .list(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                JSONText.appendEscaped(member.name, to: &out)
                out.append(contentsOf: #"":"#.utf8)
                append(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
