import CSystem
import Glibc

/// Runs one system call that returns -1 and sets errno on failure.
///
/// Guarantees: EINTR is retried; EAGAIN/EWOULDBLOCK become `.wouldBlock` (unless `blocking`, where
/// they are errors); EBADF and EFAULT trap because they can only be our bugs (a closed or foreign
/// descriptor, a bad pointer); every other errno is thrown as `SystemError` naming the call.
@inline(__always)
func syscall<T: FixedWidthInteger & Sendable>(
    _ call: StaticString, blocking: Bool = false, _ body: () -> T
) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let error = csystem_errno()
        switch error {
        case EINTR:
            continue
        case EAGAIN where !blocking:
            return .wouldBlock
        case EBADF, EFAULT:
            preconditionFailure("\(call): errno \(error) (bad descriptor or pointer: a bug in Sluice)")
        default:
            throw SystemError(errno: error, call: call)
        }
    }
}

/// `syscall` for calls that cannot would-block (setsockopt, bind, epoll_ctl...): returns the result.
@inline(__always)
@discardableResult
func syscallValue<T: FixedWidthInteger & Sendable>(
    _ call: StaticString, _ body: () -> T
) throws(SystemError) -> T {
    switch try syscall(call, blocking: true, body) {
    case .processed(let value): return value
    case .wouldBlock: preconditionFailure("\(call): would block in blocking mode")
    }
}

/// Closes a descriptor. EINTR is not retried: on Linux the descriptor is released anyway and a retry
/// could close a descriptor another thread just received.
func closeDescriptor(_ fd: Int32) {
    precondition(fd >= 0, "closing an invalid descriptor")
    if Glibc.close(fd) != 0 {
        let error = csystem_errno()
        precondition(error != EBADF, "close: descriptor \(fd) was not open (double close)")
    }
}
