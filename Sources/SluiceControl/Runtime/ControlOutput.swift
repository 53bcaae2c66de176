import Glibc

/// Whole lines to stdout or stderr with one unbuffered `write(2)` each, so the listening line is
/// out before a test connects and a log line before the process exits.
public enum ControlOutput {
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

    /// `sluice-control: <message>` on stderr.
    public static func log(_ message: String) {
        ControlOutput.standardError.write(line: "sluice-control: " + message)
    }
}
