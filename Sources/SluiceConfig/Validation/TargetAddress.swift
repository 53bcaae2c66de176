/// The host and port of a target URL `http://host[:port][/]`, parsed strictly.
///
/// `host` is lowercased; an IPv6 address is kept without its brackets (`kind == .ipv6`). Refused:
/// other schemes (https with its own message, since it is planned), userinfo, paths other than
/// `/`, queries, fragments, empty or out-of-range ports, zone identifiers, malformed addresses
/// and host names.
public struct TargetAddress: Sendable, Hashable {
    public enum HostKind: Sendable, Hashable {
        case ipv4, ipv6, name
    }

    /// Why a URL was refused; `message` quotes nothing but the scheme.
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
    }

    public var host: String
    public var kind: HostKind
    public var port: UInt16

    public init(host: String, kind: HostKind, port: UInt16) {
        self.host = host
        self.kind = kind
        self.port = port
    }

    public init(url: String) throws(ParseError) {
        let bytes = Array(url.utf8)
        guard let schemeEnd = TargetAddress.find(Array("://".utf8), in: bytes) else {
            throw ParseError(message: "target url must look like http://host:port")
        }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        if scheme == "https" { throw ParseError(message: "https targets are not supported yet") }
        guard scheme == "http" else {
            throw ParseError(message: "target url must use http:// (only plain HTTP/1.1 upstreams are supported)")
        }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !"/?#".utf8.contains(bytes[authorityEnd]) { authorityEnd += 1 }
        let rest = bytes[authorityEnd...]
        guard rest.isEmpty || (rest.count == 1 && rest.first == UInt8(ascii: "/")) else {
            throw ParseError(message: "target url must not have a path, query or fragment")
        }
        let authority = Array(bytes[authorityStart..<authorityEnd])
        if authority.contains(UInt8(ascii: "@")) {
            throw ParseError(message: "target url must not contain userinfo")
        }
        let hostPart: ArraySlice<UInt8>
        var portPart: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else {
                throw ParseError(message: "target url has an unterminated IPv6 address")
            }
            hostPart = authority[1..<close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else {
                    throw ParseError(message: "target url has characters after the IPv6 address")
                }
                portPart = after.dropFirst()
            }
            guard TargetAddress.isIPv6(hostPart) else {
                throw ParseError(message: "target url has an invalid IPv6 address")
            }
            kind = .ipv6
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                hostPart = authority[..<colon]
                portPart = authority[(colon + 1)...]
            } else {
                hostPart = authority[...]
            }
            if hostPart.isEmpty { throw ParseError(message: "target url has no host") }
            if hostPart.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= 0x30 && $0 <= 0x39) }) {
                guard TargetAddress.isIPv4(hostPart) else {
                    throw ParseError(message: "target url has an invalid IPv4 address")
                }
                kind = .ipv4
            } else {
                guard HostNameSyntax.isHostName(hostPart, allowUppercase: true, allowUnderscore: true) else {
                    throw ParseError(message: "target url has an invalid host name")
                }
                kind = .name
            }
        }
        host = String(decoding: hostPart, as: UTF8.self).lowercased()
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5,
                  portPart.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(String(decoding: portPart, as: UTF8.self)), (1...65535).contains(value) else {
                throw ParseError(message: "target url port must be 1…65535")
            }
            port = UInt16(value)
        } else {
            port = 80
        }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// Four decimal octets 0…255 without leading zeros (which some resolvers read as octal).
    static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.count == 1 || part.first != UInt8(ascii: "0"),
                  let value = Int(String(decoding: part, as: UTF8.self)) else { return false }
            return value <= 255
        }
    }

    /// RFC 4291 §2.2 text forms: eight groups of 1…4 hex digits, one `::` for a run of zero
    /// groups, optionally ending in a dotted IPv4 address (two groups). No zone identifiers.
    static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        let halves = text.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (position, half) in halves.enumerated() {
            if half.isEmpty { continue }
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (pieceIndex, piece) in pieces.enumerated() {
                let isLast = position == halves.count - 1 && pieceIndex == pieces.count - 1
                if isLast && piece.contains(".") {
                    guard isIPv4(ArraySlice(piece.utf8)) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(piece.utf8.count), piece.allSatisfy(\.isHexDigit) else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }
}
