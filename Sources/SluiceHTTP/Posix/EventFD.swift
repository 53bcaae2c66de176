import CSystem
import Glibc

/// An owned nonblocking eventfd used to wake an event loop from other threads.
/// Thread-safety: `notify()` may be called from any thread (a write(2) of 8 bytes is atomic);
/// `drain()` only by the loop that polls it. `@unchecked Sendable` is safe: the descriptor is
/// immutable until `deinit`, which runs after every notifier has let go.
final class EventFD: @unchecked Sendable {
    let descriptor: Int32

    init() throws(SystemError) {
        descriptor = try syscallValue("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    deinit {
        closeDescriptor(descriptor)
    }

    /// Makes the descriptor readable. Never blocks (a full counter is already readable).
    func notify() {
        var one: UInt64 = 1
        let fd = descriptor
        _ = try? syscall("write(eventfd)") { Glibc.write(fd, &one, 8) }
    }

    /// Resets the counter so the descriptor is no longer readable.
    func drain() {
        var value: UInt64 = 0
        let fd = descriptor
        _ = try? syscall("read(eventfd)") { Glibc.read(fd, &value, 8) }
    }
}
