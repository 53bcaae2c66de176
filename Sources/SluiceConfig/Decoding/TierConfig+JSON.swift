extension TierConfig: SnapshotEntity {
    public static let collectionKey = "tiers"
    public static let identityKey = "name"
    public var identity: String { name }

    public var jsonValue: JSONValue {
        // An integral rate is written as an integer so that `5` round-trips as `5`, not `5.0`.
        let isIntegral = abs(requestsPerSecond) < 1e15 && Double(Int64(requestsPerSecond)) == requestsPerSecond
        let rate: JSONValue = isIntegral ? .integer(Int64(requestsPerSecond)) : .number(requestsPerSecond)
        var members: [JSONValue.Member] = [
            .init("name", .string(name)),
            .init("requests_per_second", rate),
            .init("burst", .integer(Int64(burst))),
        ]
        if let requestsPerMinute { members.append(.init("requests_per_minute", .integer(Int64(requestsPerMinute)))) }
        if let requestsPerDay { members.append(.init("requests_per_day", .integer(Int64(requestsPerDay)))) }
        return .object(members)
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["name", "requests_per_second", "burst", "requests_per_minute", "requests_per_day"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> TierConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let name = decoding.string(object, "name", required: true)
        let rate = decoding.number(object, "requests_per_second", required: true)
        let burst = decoding.integer(object, "burst")
        let perMinute = decoding.integer(object, "requests_per_minute")
        let perDay = decoding.integer(object, "requests_per_day")
        guard decoding.problems.count == before, let name, let rate else { return nil }
        return TierConfig(name: name, requestsPerSecond: rate, burst: burst,
                          requestsPerMinute: perMinute, requestsPerDay: perDay)
            .checked(at: pointer, into: &decoding)
    }
}
