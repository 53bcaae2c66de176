import CSystem
import Glibc

/// Why a `HOST:PORT` string is not a usable address.
public struct SocketAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case missingPort, invalidPort, invalidHost, resolutionFailed(Int32)
    }
    public var kind: Kind
    public var input: String

    public var description: String { "invalid address \"\(input)\": \(kind)" }
}

extension SocketAddress {
    /// Parses a numeric `HOST:PORT`: `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:0`. No name resolution.
    public init(parsing text: String) throws(SocketAddressError) {
        let (host, port) = try Self.split(text)
        guard let address = Self.numeric(host: host, port: port) else {
            throw SocketAddressError(kind: .invalidHost, input: text)
        }
        self = address
    }

    /// Parses `HOST:PORT`, resolving a host name with getaddrinfo when it is not numeric.
    /// Blocks while resolving: call it off the event loops (configuration time).
    public static func resolve(_ text: String) throws(SocketAddressError) -> [SocketAddress] {
        let (host, port) = try split(text)
        if let address = numeric(host: host, port: port) { return [address] }
        var hints = addrinfo()
        hints.ai_socktype = csystem_sock_stream()
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw SocketAddressError(kind: .resolutionFailed(status), input: text)
        }
        defer { freeaddrinfo(first) }
        var result: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr, var address = SocketAddress.from(storage: UnsafeRawPointer(raw)) {
                address.port = port
                if !result.contains(address) { result.append(address) }
            }
            cursor = entry.pointee.ai_next
        }
        if result.isEmpty { throw SocketAddressError(kind: .resolutionFailed(0), input: text) }
        return result
    }

    /// The address to listen on for `HOST:PORT`: numeric, or a name such as `localhost` resolved
    /// with getaddrinfo, preferring IPv4 when the name has both (what `localhost:8080` users
    /// expect to reach with `127.0.0.1`). Blocks while resolving: command-line time only.
    public static func listenAddress(_ text: String) throws(SocketAddressError) -> SocketAddress {
        guard let address = preferred(try resolve(text)) else {
            throw SocketAddressError(kind: .resolutionFailed(0), input: text)
        }
        return address
    }

    /// Of the addresses a name resolved to, the one to use: the first IPv4 one, else the first.
    /// `localhost` often resolves to ::1 as well, while most local servers listen on 127.0.0.1.
    public static func preferred(_ candidates: [SocketAddress]) -> SocketAddress? {
        candidates.first { $0.family == .ipv4 } ?? candidates.first
    }

    private static func split(_ text: String) throws(SocketAddressError) -> (host: String, port: UInt16) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw SocketAddressError(kind: .invalidHost, input: text) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw SocketAddressError(kind: .missingPort, input: text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw SocketAddressError(kind: .missingPort, input: text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw SocketAddressError(kind: .invalidHost, input: text) }
        }
        guard !host.isEmpty else { throw SocketAddressError(kind: .invalidHost, input: text) }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText) else {
            throw SocketAddressError(kind: .invalidPort, input: text)
        }
        return (String(host), port)
    }

    private static func numeric(host: String, port: UInt16) -> SocketAddress? {
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            return SocketAddress(v4)
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            return SocketAddress(v6)
        }
        return nil
    }
}
