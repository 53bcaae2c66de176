import SluiceHTTP

/// The control plane's log lines on stderr, `sluice-control: <message>`.
public enum ControlLog {
    public static func log(_ message: String) {
        ProcessOutput.log(message, program: "sluice-control")
    }
}
