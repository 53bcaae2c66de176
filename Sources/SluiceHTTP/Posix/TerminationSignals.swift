import CSystem
import Glibc

/// SIGTERM, SIGINT and SIGHUP delivered through a signalfd instead of an async handler.
///
/// `block()` must run on the main thread before any other thread is spawned (threads inherit the
/// mask, so no thread ever runs an async handler); it also ignores SIGPIPE. `next()` then blocks
/// until one of the signals arrives. Thread affinity: one thread waits on it.
public final class TerminationSignals {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        closeDescriptor(descriptor)
    }

    /// Blocks the termination signals in the calling thread and opens a (blocking) signalfd for them.
    public static func block() throws(SystemError) -> TerminationSignals {
        var set = sigset_t()
        let status = csystem_block_termination_signals(&set)
        if status != 0 { throw SystemError(errno: status, call: "pthread_sigmask") }
        let fd = try syscallValue("signalfd") { signalfd(-1, &set, Int32(SFD_CLOEXEC)) }
        return TerminationSignals(descriptor: fd)
    }

    /// Waits for the next signal and returns its number (SIGTERM, SIGINT or SIGHUP).
    public func next() throws(SystemError) -> Int32 {
        var info = signalfd_siginfo()
        let fd = descriptor
        let size = MemoryLayout<signalfd_siginfo>.size
        _ = try syscallValue("read(signalfd)") { Glibc.read(fd, &info, size) }
        return Int32(info.ssi_signo)
    }

    public static let terminate = SIGTERM
    public static let interrupt = SIGINT
    public static let hangup = SIGHUP
}
