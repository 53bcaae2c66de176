import SluiceHTTP

/// The data plane's log lines on stderr, `sluice-proxy: <message>`.
public enum ProxyLog {
    public static func log(_ message: String) {
        ProcessOutput.log(message, program: "sluice-proxy")
    }
}
