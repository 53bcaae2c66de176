/// An address block such as `10.0.0.0/8` or `2001:db8::/32` (a bare address is a /32 or /128).
/// IPv4 blocks are kept as their IPv4-mapped IPv6 form, so `contains` is two masked compares.
public struct CIDRBlock: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    /// Prefix length in the 128-bit space (IPv4 /n is stored as /(96 + n)).
    public let prefixLength: Int

    /// Parses `a.b.c.d[/n]` or `ipv6[/n]`; host bits must be zero (`10.0.0.1/8` is refused as
    /// ambiguous). Nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(text: String(parts[0])) else { return nil }
        let width = address.isIPv4 ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0, value <= width,
                  parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            length = value
        }
        let full = address.isIPv4 ? 96 + length : length
        let (maskHigh, maskLow) = CIDRBlock.mask(full)
        guard address.high & ~maskHigh == 0, address.low & ~maskLow == 0 else { return nil }
        network = address
        prefixLength = full
    }

    static func mask(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length >= 64 ? ~0 : (length == 0 ? 0 : ~0 << UInt64(64 - length))
        let low: UInt64 = length <= 64 ? 0 : (length >= 128 ? ~0 : ~0 << UInt64(128 - length))
        return (high, low)
    }

    public func contains(_ address: IPAddress) -> Bool {
        let (maskHigh, maskLow) = CIDRBlock.mask(prefixLength)
        return address.high & maskHigh == network.high && address.low & maskLow == network.low
    }

    public var description: String {
        network.isIPv4 ? "\(network)/\(prefixLength - 96)" : "\(network)/\(prefixLength)"
    }
}
