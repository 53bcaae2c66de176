import Glibc

/// Why a scripted test socket could not be set up.
public struct ScriptedSocketError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public var description: String { "\(call) failed: errno \(errno)" }
}

/// Small blocking-socket building blocks for the scripted test servers.
/// C-facing edge of the test support: direct Glibc calls on descriptors the callers own.
public enum ScriptedSocket {
    /// Binds `fd` to 127.0.0.1 port 0, listens, and returns the port the kernel picked.
    static func bindLoopback(_ fd: Int32, backlog: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw ScriptedSocketError(call: "bind", errno: errno) }
        guard listen(fd, backlog) == 0 else { throw ScriptedSocketError(call: "listen", errno: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ScriptedSocketError(call: "getsockname", errno: errno) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A loopback port with nothing listening on it: bound, then closed. A connect to it is refused.
    public static func closedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ScriptedSocketError(call: "socket", errno: errno) }
        defer { Glibc.close(fd) }
        return try bindLoopback(fd, backlog: 1)
    }

    /// Blocking connect to 127.0.0.1:`port`; returns the descriptor (the caller closes it).
    static func connectLoopback(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ScriptedSocketError(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(fd)
            throw ScriptedSocketError(call: "connect", errno: error)
        }
        return fd
    }
}
