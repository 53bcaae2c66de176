/// One server behind an upstream.
///
/// `url` is `http://host[:port][/]` with host an IPv4 address, a bracketed IPv6 address or a
/// DNS name; port 1…65535, default 80. `weight` is 1…1000 (default 1). `address` gives the parsed
/// form the data plane connects to.
public struct TargetConfig: Sendable, Equatable {
    public static let defaultWeight = 1
    public static let weightRange = 1...1000

    public var url: String
    public var weight: Int

    public init(url: String, weight: Int = TargetConfig.defaultWeight) {
        self.url = url
        self.weight = weight
    }

    /// The parsed host and port, or nil when `url` is not valid (`validate()` says why).
    public var address: TargetAddress? {
        try? TargetAddress(url: url)
    }
}
