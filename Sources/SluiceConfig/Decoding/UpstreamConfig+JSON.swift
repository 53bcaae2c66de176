extension UpstreamConfig: SnapshotEntity {
    public static let collectionKey = "upstreams"
    public static let identityKey = "name"
    public var identity: String { name }

    public var jsonValue: JSONValue {
        .object([
            .init("name", .string(name)),
            .init("algorithm", .string(algorithm.rawValue)),
            .init("targets", .array(targets.map(\.jsonValue))),
        ])
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["name", "algorithm", "targets"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> UpstreamConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else {
            return nil
        }
        let name = decoding.string(object, "name", required: true)
        let algorithm: BalancingAlgorithm? = decoding.choice(object, "algorithm")
        let targets = decoding.array(object, "targets", required: true, element: TargetConfig.decode)
        guard decoding.problems.count == before, let name, let targets else { return nil }
        return UpstreamConfig(name: name, algorithm: algorithm ?? .roundRobin, targets: targets)
            .checked(at: pointer, into: &decoding)
    }
}
