extension APIKeyConfig: SnapshotEntity {
    public static let collectionKey = "api_keys"
    public static let identityKey = "id"
    public var identity: String { id }

    /// `sha256` is written as 64 lowercase hex digits.
    public var jsonValue: JSONValue {
        .object([
            .init("id", .string(id)),
            .init("consumer", .string(consumer)),
            .init("sha256", .string(APIKeyConfig.hex(sha256))),
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
            hash = APIKeyConfig.hashBytes(text)
            if hash == nil {
                decoding.report(object.pointer("sha256"),
                                "sha256 must be 64 lowercase hex digits (printf %s \"$KEY\" | sha256sum)")
            }
        }
        guard decoding.problems.count == before, let id, let consumer, let hash else { return nil }
        return APIKeyConfig(id: id, consumer: consumer, sha256: hash).checked(at: pointer, into: &decoding)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 32 bytes of 64 lowercase hex digits, or nil.
    static func hashBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == hashBytes * 2 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hashBytes)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
