extension TierConfig: SnapshotEntity {
    public static let collectionKey = "tiers"
    public static let identityKey = "name"
    public var identity: String { name }

    public var jsonValue: JSONValue {
        .object([.init("name", .string(name))] + limits.jsonMembers)
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["name", "requests_per_second", "burst", "requests_per_minute", "requests_per_day"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> TierConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let name = decoding.string(object, "name", required: true)
        let limits = RateLimits.decode(object, requireRate: true, into: &decoding)
        guard decoding.problems.count == before, let name, let rate = limits.requestsPerSecond else { return nil }
        return TierConfig(name: name, requestsPerSecond: rate, burst: limits.burst,
                          requestsPerMinute: limits.requestsPerMinute, requestsPerDay: limits.requestsPerDay)
            .checked(at: pointer, into: &decoding)
    }
}
