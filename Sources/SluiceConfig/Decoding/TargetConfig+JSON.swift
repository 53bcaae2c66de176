extension TargetConfig {
    public var jsonValue: JSONValue {
        .object([.init("url", .string(url)), .init("weight", .integer(Int64(weight)))])
    }

    static let fields = ["url", "weight"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> TargetConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let url = decoding.string(object, "url", required: true)
        let weight = decoding.integer(object, "weight")
        guard decoding.problems.count == before, let url else { return nil }
        return TargetConfig(url: url, weight: weight ?? TargetConfig.defaultWeight)
    }
}
