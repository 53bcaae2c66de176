import Glibc

/// Whole lines to the process's stdout or stderr with unbuffered `write(2)` calls (retried on
/// EINTR and short writes), so a line is out before the next thing happens: the listening line
/// before a test connects, a log line before the process exits. Shared by every Sluice binary;
/// each program prefixes its log lines with its name (`log(_:program:)`).
public enum ProcessOutput {
    case standardOutput, standardError

    public func write(line: String) {
        let bytes = Array((line + "\n").utf8)
        let descriptor: Int32 = self == .standardOutput ? 1 : 2
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// `<program>: <message>` on stderr.
    public static func log(_ message: String, program: StaticString) {
        standardError.write(line: "\(program): " + message)
    }
}
