import Foundation

/// Whole lines to the process's stdout or stderr, written unbuffered (one `write(2)` per line
/// through `FileHandle`), so a line is out before the next thing happens — the listening line
/// before tests connect, a log line before the process exits.
public enum ProcessOutput {
    case standardOutput, standardError

    public func write(line: String) {
        let handle = self == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError
        try? handle.write(contentsOf: Data((line + "\n").utf8))
    }

    /// `sluice-proxy: <message>` on stderr.
    public static func log(_ message: String) {
        ProcessOutput.standardError.write(line: "sluice-proxy: " + message)
    }
}
