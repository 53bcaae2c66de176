import Glibc

/// Whole lines to the process's stdout or stderr with unbuffered `write(2)` calls (retried on
/// EINTR and short writes), so a line is out before the next thing happens: the listening line
/// before a test connects, a log line before the process exits. Shared by every Sluice binary;
/// each program prefixes its log lines with its name (`log(_:program:)`).
public enum ProcessOutput {
    case standardOutput, standardError

    public func write(line: String) {
        // A failed write (nobody reading) is dropped: there is nowhere left to report it.
        DescriptorWriter.writeAll(self == .standardOutput ? 1 : 2, Array((line + "\n").utf8))
    }

    /// `<program>: <message>` on stderr.
    public static func log(_ message: String, program: StaticString) {
        standardError.write(line: "\(program): " + message)
    }
}
