import SluiceHTTP

/// The control plane's event log: structured JSON lines on stderr (`EventLog`), with
/// `"program":"sluice-control"`. Events: `listening`, `admin_token_generated`, `start_failed`,
/// `signals_failed`, `shutdown`, `version_published`, `demo` (the `--demo` narration).
public enum ControlLog {
    /// A command-line error before the program runs, as plain text `sluice-control: <message>`.
    public static func usageError(_ message: String) {
        ProcessOutput.log(message, program: "sluice-control")
    }

    /// An info line with event `log`, for call sites not yet given an event name of their own
    /// (kept so code written against the old text logger still builds; prefer `info`/`warning`/`error`).
    public static func log(_ message: String) {
        info("log", message)
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

    private static func write(_ level: EventLog.Level, _ event: String, _ message: String,
                              _ fields: KeyValuePairs<String, EventLog.Value>) {
        EventLog.write(level, program: "sluice-control", event: event, message: message,
                       fields: fields.map { ($0.key, $0.value) })
    }
}
