/// A program's event log: conform a caseless enum naming the program (`ProxyLog`,
/// `ControlLog`) and get its structured JSON lines on stderr (`EventLog`, with
/// `"program":"<program>"`) and its plain-text command-line errors, written once here.
public protocol ProgramEventLog {
    /// The `program` field and the prefix of usage errors, e.g. `sluice-proxy`.
    static var program: StaticString { get }
}

extension ProgramEventLog {
    /// A command-line error before the program runs, as plain text `<program>: <message>`
    /// (for the person typing the command, like `--help`).
    public static func usageError(_ message: String) {
        ProcessOutput.log(message, program: program)
    }

    public static func info(_ event: String, _ message: String, _ fields: KeyValuePairs<String, EventLog.Value> = [:]) {
        write(.info, event, message, fields)
    }

    public static func warning(_ event: String, _ message: String, _ fields: KeyValuePairs<String, EventLog.Value> = [:]) {
        write(.warning, event, message, fields)
    }

    public static func error(_ event: String, _ message: String, _ fields: KeyValuePairs<String, EventLog.Value> = [:]) {
        write(.error, event, message, fields)
    }

    static func write(_ level: EventLog.Level, _ event: String, _ message: String,
                      _ fields: KeyValuePairs<String, EventLog.Value>) {
        EventLog.write(level, program: program.description, event: event, message: message, fields: fields.map { ($0.key, $0.value) })
    }
}
