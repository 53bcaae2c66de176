extension OrgConfig: SnapshotEntity {
    public static let collectionKey = "orgs"
    public static let identityKey = "id"
    public var identity: String { id }

    public var jsonValue: JSONValue {
        .object([.init("id", .string(id))] + limits.jsonMembers)
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["id"] + RateLimits.fields

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> OrgConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let id = decoding.string(object, "id", required: true)
        let limits = RateLimits.decode(object, into: &decoding)
        guard decoding.problems.count == before, let id else { return nil }
        return OrgConfig(id: id, limits: limits).checked(at: pointer, into: &decoding)
    }
}
