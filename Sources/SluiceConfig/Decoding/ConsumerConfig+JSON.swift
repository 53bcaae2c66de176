extension ConsumerConfig: SnapshotEntity {
    public static let collectionKey = "consumers"
    public static let identityKey = "id"
    public var identity: String { id }

    public var jsonValue: JSONValue {
        var members: [JSONValue.Member] = [.init("id", .string(id)), .init("tier", .string(tier))]
        if let org { members.append(.init("org", .string(org))) }
        return .object(members)
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["id", "tier", "org"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> ConsumerConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let id = decoding.string(object, "id", required: true)
        let tier = decoding.string(object, "tier", required: true)
        let org = decoding.string(object, "org")
        guard decoding.problems.count == before, let id, let tier else { return nil }
        return ConsumerConfig(id: id, tier: tier, org: org).checked(at: pointer, into: &decoding)
    }
}
