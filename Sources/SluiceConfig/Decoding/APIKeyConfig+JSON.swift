extension APIKeyConfig: SnapshotEntity {
    public static let collectionKey = "api_keys"
    public static let identityKey = "id"
    public var identity: String { id }

    /// `sha256` is written as 64 lowercase hex digits.
    public var jsonValue: JSONValue {
        .object([
            .init("id", .string(id)),
            .init("consumer", .string(consumer)),
            .init("sha256", .string(HexEncoding.encode(sha256))),
        ])
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["id", "consumer", "sha256"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> APIKeyConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let id = decoding.string(object, "id", required: true)
        let consumer = decoding.string(object, "consumer", required: true)
        var hash: [UInt8]?
        if let text = decoding.string(object, "sha256", required: true) {
            hash = HexEncoding.decode(text).flatMap { $0.count == hashBytes ? $0 : nil }
            if hash == nil {
                decoding.report(object.pointer("sha256"),
                                "sha256 must be 64 lowercase hex digits (printf %s \"$KEY\" | sha256sum)")
            }
        }
        guard decoding.problems.count == before, let id, let consumer, let hash else { return nil }
        return APIKeyConfig(id: id, consumer: consumer, sha256: hash).checked(at: pointer, into: &decoding)
    }
}
