import Glibc

/// Where a log's bytes go: the process's stdout, or a file opened for appending (created 0644 if
/// absent; `O_APPEND`, so rotation by rename + reopen is safe and concurrent writers never
/// overwrite each other). Owned by one writer thread; `close()` once at the end.
/// `@unchecked Sendable` is safe: the descriptor is immutable after `init` and the type is handed
/// to exactly one writer thread, which alone calls `write` and `close`.
public final class LogSink: @unchecked Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// The process's standard output (never closed).
    public static func standardOutput() -> LogSink {
        LogSink(descriptor: 1, owns: false)
    }

    /// Opens `path` for appending, creating it if needed.
    public static func appending(to path: String) throws(SystemError) -> LogSink {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemError(errno: errno, call: "open") }
        return LogSink(descriptor: descriptor, owns: true)
    }

    private init(descriptor: Int32, owns: Bool) {
        self.descriptor = descriptor
        ownsDescriptor = owns
    }

    /// Writes all of `bytes` (retrying EINTR and short writes). On failure the rest is dropped
    /// and the error returned.
    public func write(_ bytes: [UInt8]) -> SystemError? {
        DescriptorWriter.writeAll(descriptor, bytes)
    }

    public func close() {
        if ownsDescriptor { _ = Glibc.close(descriptor) }
    }
}
