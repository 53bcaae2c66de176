import CSystem
import Glibc

/// An owned, nonblocking, close-on-exec TCP socket descriptor.
///
/// Ownership: exactly one owner closes it (`close()`); `deinit` closes a socket that was not closed,
/// so a dropped socket never leaks its descriptor.
/// Thread affinity: none of its own, but it must be used by one thread at a time — it moves from the
/// thread that created it to the event loop that serves it, it is never shared.
/// `@unchecked Sendable` is safe under that rule: the only mutable state is `descriptor`, written by `close()`.
public final class Socket: @unchecked Sendable {
    /// The descriptor, or -1 once closed.
    public private(set) var descriptor: Int32

    /// Takes ownership of an open descriptor.
    public init(takingOwnershipOf descriptor: Int32) {
        precondition(descriptor >= 0)
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 {
            closeDescriptor(descriptor)
        }
    }

    public var isOpen: Bool { descriptor >= 0 }

    /// Closes the descriptor; a second call does nothing.
    public func close() {
        guard descriptor >= 0 else { return }
        closeDescriptor(descriptor)
        descriptor = -1
    }

    /// A new nonblocking TCP socket for `family`.
    public static func makeTCP(_ family: SocketAddress.Family) throws(SystemError) -> Socket {
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        let fd = try syscallValue("socket") {
            Glibc.socket(domain, csystem_sock_stream() | csystem_sock_nonblock() | csystem_sock_cloexec(), 0)
        }
        return Socket(takingOwnershipOf: fd)
    }

    /// A listening socket bound to `address` with SO_REUSEADDR (and SO_REUSEPORT when `reusePort`),
    /// so several workers can each own a listener on the same port.
    public static func listening(at address: SocketAddress, backlog: Int32 = 4096, reusePort: Bool = true) throws(SystemError) -> Socket {
        let socket = try makeTCP(address.family)
        do {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)")
            if reusePort { try socket.setOption(SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT)") }
            if address.family == .ipv6 { try socket.setOption(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1, "setsockopt(IPV6_V6ONLY)") }
            try socket.bind(to: address)
            try syscallValue("listen") { Glibc.listen(socket.descriptor, backlog) }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    public func bind(to address: SocketAddress) throws(SystemError) {
        let fd = descriptor
        try address.withSockAddr { (pointer, length) throws(SystemError) in
            _ = try syscallValue("bind") { Glibc.bind(fd, pointer, length) }
        }
    }

    /// Accepts one pending connection as a nonblocking, close-on-exec socket; `nil` when none is pending.
    public func accept() throws(SystemError) -> Socket? {
        let fd = descriptor
        switch try syscall("accept4", { csystem_accept4(fd, nil, nil, csystem_sock_nonblock() | csystem_sock_cloexec()) }) {
        case .processed(let client): return Socket(takingOwnershipOf: client)
        case .wouldBlock: return nil
        }
    }

    /// Starts a nonblocking connect. Returns true when already connected (loopback can do that),
    /// false when in progress: wait for writability, then check `pendingError()`.
    public func connect(to address: SocketAddress) throws(SystemError) -> Bool {
        let fd = descriptor
        return try address.withSockAddr { (pointer, length) throws(SystemError) -> Bool in
            while true {
                if Glibc.connect(fd, pointer, length) == 0 { return true }
                let error = csystem_errno()
                switch error {
                case EINTR: continue
                case EINPROGRESS, EAGAIN: return false
                case EBADF, EFAULT: preconditionFailure("connect: errno \(error)")
                default: throw SystemError(errno: error, call: "connect")
                }
            }
        }
    }

    /// Reads into `buffer`: `.processed(0)` is end of stream. (recv(2) rather than read(2): the
    /// socket call skips the VFS layer.)
    @inline(__always)
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        let fd = descriptor
        return try syscall("recv") { csystem_recv(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes `buffer` (possibly partially), never raising SIGPIPE.
    @inline(__always)
    public func write(_ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        let fd = descriptor
        return try syscall("send") { csystem_send(fd, buffer.baseAddress, buffer.count) }
    }

    /// Gathers `vectors` into one write (possibly partial), never raising SIGPIPE (sendmsg with
    /// MSG_NOSIGNAL). At most `Socket.maxIOVectors` entries.
    @inline(__always)
    public func writev(_ vectors: UnsafeBufferPointer<iovec>) throws(SystemError) -> IOResult<Int> {
        let fd = descriptor
        return try syscall("sendmsg") { csystem_sendv(fd, vectors.baseAddress, Int32(vectors.count)) }
    }

    /// IOV_MAX: the most buffers one `writev` takes.
    public static let maxIOVectors = Int(csystem_iov_max())

    public enum ShutdownDirection: Sendable { case read, write, both }

    /// Half- or full-closes the connection; errors (e.g. ENOTCONN after a reset) are ignored.
    public func shutdown(_ direction: ShutdownDirection) {
        let how: Int32
        switch direction {
        case .read: how = Int32(SHUT_RD)
        case .write: how = Int32(SHUT_WR)
        case .both: how = Int32(SHUT_RDWR)
        }
        _ = Glibc.shutdown(descriptor, how)
    }

    /// Disables Nagle's algorithm.
    public func setNoDelay(_ enabled: Bool = true) throws(SystemError) {
        try setOption(Int32(IPPROTO_TCP), TCP_NODELAY, enabled ? 1 : 0, "setsockopt(TCP_NODELAY)")
    }

    /// SO_LINGER with a zero timeout: `close()` then sends RST instead of FIN (for aborting).
    public func setLingerZero() throws(SystemError) {
        var value = linger(l_onoff: 1, l_linger: 0)
        let fd = descriptor
        try syscallValue("setsockopt(SO_LINGER)") {
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        }
    }

    /// The pending socket error (SO_ERROR), cleared by reading it: 0 after a successful connect.
    public func pendingError() throws(SystemError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let fd = descriptor
        try syscallValue("getsockopt(SO_ERROR)") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) }
        return value
    }

    /// The address the socket is bound to (reads back the port chosen for port 0).
    public func localAddress() throws(SystemError) -> SocketAddress {
        try address(peer: false)
    }

    /// The address of the connected peer.
    public func peerAddress() throws(SystemError) -> SocketAddress {
        try address(peer: true)
    }

    private func address(peer: Bool) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = descriptor
        try withUnsafeMutablePointer(to: &storage) { (pointer) throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemError) in
                if peer {
                    _ = try syscallValue("getpeername") { getpeername(fd, raw, &length) }
                } else {
                    _ = try syscallValue("getsockname") { getsockname(fd, raw, &length) }
                }
            }
        }
        guard let address = withUnsafeBytes(of: &storage, { SocketAddress.from(storage: $0.baseAddress!) }) else {
            throw SystemError(errno: EAFNOSUPPORT, call: "getsockname")
        }
        return address
    }

    func setOption(_ level: Int32, _ name: Int32, _ value: Int32, _ call: StaticString) throws(SystemError) {
        var value = value
        let fd = descriptor
        try syscallValue(call) { setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) }
    }

    /// Makes writes to a closed peer return EPIPE instead of killing the process (process-wide).
    public static func ignoreBrokenPipeSignal() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
