import CSystem
import Glibc

/// An IPv4 or IPv6 address with a port: a plain value, safe to share between threads.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    public let family: Family
    public var port: UInt16
    /// The address bytes in network order: IPv4 uses the first 4 bytes of `high`'s storage.
    private let high: UInt64
    private let low: UInt64
    private let scopeID: UInt32

    /// `sockaddr_in` built from the address.
    init(_ address: sockaddr_in) {
        family = .ipv4
        port = UInt16(bigEndian: address.sin_port)
        high = UInt64(address.sin_addr.s_addr)
        low = 0
        scopeID = 0
    }

    init(_ address: sockaddr_in6) {
        family = .ipv6
        port = UInt16(bigEndian: address.sin6_port)
        var bytes = address.sin6_addr
        (high, low) = withUnsafeBytes(of: &bytes) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        scopeID = address.sin6_scope_id
    }

    /// 127.0.0.1 with the given port.
    public static func loopbackIPv4(port: UInt16) -> SocketAddress {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return SocketAddress(address)
    }

    /// Calls `body` with the C `sockaddr` for this address and its length.
    /// The pointer is valid only during the call.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> R) throws(SystemError) -> R {
        switch family {
        case .ipv4:
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(truncatingIfNeeded: high)
            return try withUnsafePointer(to: &address) { (pointer) throws(SystemError) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemError) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_scope_id = scopeID
            withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
                raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return try withUnsafePointer(to: &address) { (pointer) throws(SystemError) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemError) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads a `sockaddr_storage` filled by the kernel (getsockname, accept, getaddrinfo).
    static func from(storage: UnsafeRawPointer) -> SocketAddress? {
        let family = storage.load(fromByteOffset: 0, as: sa_family_t.self)
        switch Int32(family) {
        case AF_INET: return SocketAddress(storage.loadUnaligned(as: sockaddr_in.self))
        case AF_INET6: return SocketAddress(storage.loadUnaligned(as: sockaddr_in6.self))
        default: return nil
        }
    }

    /// The host part only: `127.0.0.1` or `::1`.
    public var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch family {
        case .ipv4:
            var address = in_addr(s_addr: UInt32(truncatingIfNeeded: high))
            _ = inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .ipv6:
            var bytes = in6_addr()
            withUnsafeMutableBytes(of: &bytes) { raw in
                raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            _ = inet_ntop(AF_INET6, &bytes, &buffer, socklen_t(buffer.count))
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    public var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }
}
