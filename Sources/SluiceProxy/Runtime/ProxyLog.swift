import SluiceHTTP

/// The data plane's event log: structured JSON lines on stderr (`EventLog`), with
/// `"program":"sluice-proxy"`. Events: `listening`, `config_applied` (`version`, `source`),
/// `config_refused` (`reason`, `problems`), `reload_ignored`, `cache_empty`, `cache_refused`,
/// `cache_write_failed`, `control_plane_unreachable` / `control_plane_reachable`,
/// `status_report_failed`, `start_failed`, `signals_failed`, `shutdown`, `stopped`.
public enum ProxyLog {
    /// A command-line error before the program runs, as plain text `sluice-proxy: <message>`
    /// (for the person typing the command, like `--help`).
    public static func usageError(_ message: String) {
        ProcessOutput.log(message, program: "sluice-proxy")
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
        EventLog.write(level, program: "sluice-proxy", event: event, message: message,
                       fields: fields.map { ($0.key, $0.value) })
    }

    /// A refused config: one `config_refused` line, `message` = `prefix: summary; problem; problem`,
    /// `reason` the summary and `problems` every problem (`/pointer: message`) joined by `; `.
    static func configRefused(_ failure: ConfigLoadFailure, prefix: String, source: String) {
        let problems = failure.problems.map(\.description)
        let message = ([prefix + ": " + failure.message] + problems).joined(separator: "; ")
        error("config_refused", message, ["source": .string(source), "reason": .string(failure.message),
                                          "problems": .string(problems.joined(separator: "; "))])
    }
}
