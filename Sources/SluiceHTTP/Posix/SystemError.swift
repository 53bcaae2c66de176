import CSystem
import Glibc

/// A failed system call: which call, and the errno it set. Thrown (typed) by every wrapper in
/// `Posix/`; would-block is never an error (see `IOResult`).
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errno value the call failed with.
    public var errno: Int32
    /// The name of the failing call, e.g. `"accept4"`.
    public var call: StaticString

    public init(errno: Int32, call: StaticString) {
        self.errno = errno
        self.call = call
    }

    public static func == (lhs: SystemError, rhs: SystemError) -> Bool {
        lhs.errno == rhs.errno && lhs.call.description == rhs.call.description
    }

    /// The peer went away (reset, broken pipe, connection aborted): an ordinary end of a connection.
    public var isConnectionReset: Bool {
        errno == ECONNRESET || errno == EPIPE || errno == ECONNABORTED || errno == ENOTCONN
    }

    public var description: String {
        guard let message = strerror(errno) else { return "\(call) failed: errno \(errno)" }
        return "\(call) failed: \(String(cString: message)) (errno \(errno))"
    }
}
