import Glibc

/// Blocking whole writes to a file descriptor: the one loop behind `ProcessOutput`, `LogSink`
/// and sluicectl's terminal output. Not for sockets on an event loop (those use `WriteQueue`).
///
/// C-facing: write(2) from a buffer that lives only inside `withUnsafeBytes`, bounded by its count.
public enum DescriptorWriter {
    /// Writes all of `bytes` to `descriptor`, retrying after EINTR and short writes. On failure
    /// the rest is dropped and the error returned (a closed pipe: nobody is reading).
    @discardableResult
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> SystemError? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return SystemError(errno: errno, call: "write")
            }
            if written == 0 { return SystemError(errno: EIO, call: "write") }
            offset += written
        }
        return nil
    }
}
