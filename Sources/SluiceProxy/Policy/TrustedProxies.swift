import Foundation
import SluiceHTTP

/// The proxies whose `X-Forwarded-For` the data plane believes (`--trusted-proxies`), and the
/// rule that finds the client behind them: if the peer is trusted, walk the `X-Forwarded-For`
/// elements right to left (last field line first) past trusted addresses; the first untrusted one
/// is the client. An element that is not an address stops the walk at the hop that wrote it
/// (a trusted proxy never writes garbage; anything left of it may be forged). With no trusted
/// proxies the client is always the peer, so a client cannot pick its own rate-limit key.
///
/// Immutable, `Sendable`; `client(...)` allocates nothing and is O(bytes of X-Forwarded-For).
public struct TrustedProxies: Sendable, Equatable {
    public let blocks: [CIDRBlock]

    public init(_ blocks: [CIDRBlock] = []) {
        self.blocks = blocks
    }

    /// Parses a comma-separated list of CIDR blocks or addresses; throws the first bad element.
    public init(list: String) throws(TrustedProxiesError) {
        var blocks: [CIDRBlock] = []
        for element in list.split(separator: ",") {
            let text = element.trimmingCharacters(in: .whitespaces)
            guard let block = CIDRBlock(text: text) else { throw TrustedProxiesError(element: text) }
            blocks.append(block)
        }
        self.blocks = blocks
    }

    public var isEmpty: Bool { blocks.isEmpty }

    public func trusts(_ address: IPAddress) -> Bool {
        for block in blocks where block.contains(address) { return true }
        return false
    }

    /// The client address of a request from `peer` whose head is `head` over `bytes`.
    public func client(peer: IPAddress, head: HTTPRequestHead, bytes: UnsafeRawBufferPointer) -> IPAddress {
        guard !blocks.isEmpty, trusts(peer) else { return peer }
        var current = peer
        let known = head.knownFields
        var index = known.count - 1
        while index >= 0 {
            defer { index -= 1 }
            guard known[index] == .xForwardedFor else { continue }
            let value = head.fields[index].valueRange
            var end = value.upperBound
            while end > value.lowerBound {
                var start = end
                while start > value.lowerBound, bytes[start - 1] != UInt8(ascii: ",") { start -= 1 }
                var from = start, to = end
                while from < to, bytes[from] == 0x20 || bytes[from] == 0x09 { from += 1 }
                while to > from, bytes[to - 1] == 0x20 || bytes[to - 1] == 0x09 { to -= 1 }
                end = start > value.lowerBound ? start - 1 : value.lowerBound
                if from == to { continue }  // empty list element (RFC 9110 §5.6.1)
                guard let address = IPAddress(bytes: UnsafeRawBufferPointer(rebasing: bytes[from..<to])) else {
                    return current
                }
                if !trusts(address) { return address }
                current = address
            }
        }
        return current
    }
}

/// A `--trusted-proxies` element that is not an address or CIDR block.
public struct TrustedProxiesError: Error, Equatable, CustomStringConvertible {
    public let element: String
    public var description: String {
        element.contains("/") ? "not a CIDR block (an address, then /bits, with no host bits set, e.g. 10.0.0.0/8): \(element)"
            : "not an IP address or CIDR block: \(element)"
    }
}
