/// A caller known by `id` (the JWT `sub`, or the owner of API keys), on a tier, optionally in an
/// organisation. `id` and `org` are 1…256 characters without control characters.
public struct ConsumerConfig: Sendable, Equatable {
    public static let maximumIDLength = 256

    public var id: String
    public var tier: String
    public var org: String?

    public init(id: String, tier: String, org: String? = nil) {
        self.id = id
        self.tier = tier
        self.org = org
    }
}
