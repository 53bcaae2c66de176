import SluiceHTTP

/// The data plane's event log: structured JSON lines on stderr (`EventLog`), with
/// `"program":"sluice-proxy"`. Events: `listening`, `config_applied` (`version`, `source`),
/// `config_refused` (`reason`, `problems`), `reload_ignored`, `cache_empty`, `cache_refused`,
/// `cache_write_failed`, `control_plane_unreachable` / `control_plane_reachable`,
/// `status_report_failed`, `start_failed`, `signals_failed`, `shutdown`, `stopped`.
public enum ProxyLog: ProgramEventLog {
    public static let program: StaticString = "sluice-proxy"

    /// A refused config: one `config_refused` line, `message` = `prefix: summary; problem; problem`,
    /// `reason` the summary and `problems` every problem (`/pointer: message`) joined by `; `.
    static func configRefused(_ failure: ConfigLoadFailure, prefix: String, source: String) {
        let problems = failure.problems.map(\.description)
        let message = ([prefix + ": " + failure.message] + problems).joined(separator: "; ")
        error("config_refused", message, ["source": .string(source), "reason": .string(failure.message),
                                          "problems": problemList(failure)])
    }

    /// `problems` as `[{"pointer","message"}]`, like `/status`'s `last_error.problems`.
    static func problemList(_ failure: ConfigLoadFailure) -> EventLog.Value {
        .list(failure.problems.map { .object([.init("pointer", .string($0.pointer)), .init("message", .string($0.message))]) })
    }
}
