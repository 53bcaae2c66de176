/// The identity of one upstream target: a numeric IPv4/IPv6 address and a port.
///
/// Built once when a config snapshot is compiled (never per request) and used as the key of the
/// per-loop pools. Only numeric addresses: name resolution never happens on an event loop.
/// Health, counts and pools are keyed by this identity, so they survive a config swap.
public struct UpstreamTarget: Hashable, Sendable, CustomStringConvertible {
    /// A numeric IPv4 (`10.0.0.5`) or IPv6 (`::1`) address, without brackets.
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
