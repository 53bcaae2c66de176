import SluiceHTTP

/// The control plane's event log: structured JSON lines on stderr (`EventLog`), with
/// `"program":"sluice-control"`. Events: `listening`, `admin_token_generated`, `start_failed`,
/// `signals_failed`, `shutdown`, `version_published`, `demo` (the `--demo` narration).
public enum ControlLog: ProgramEventLog {
    public static let program: StaticString = "sluice-control"
}
