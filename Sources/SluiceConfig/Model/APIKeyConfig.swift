/// One API key of a consumer, as the data plane needs it: never the key itself, only the SHA-256
/// of its bytes (`printf %s "$KEY" | sha256sum`). The control plane fills `api_keys` at publish
/// from its api_keys table; snapshot files list them by hand.
///
/// `id` (1…256 characters, no control characters) names the key in logs; `consumer` must be the
/// id of a consumer of the same snapshot; `sha256` is 32 bytes (in JSON 64 lowercase hex
/// digits), unique across keys. `description` does not show the hash.
public struct APIKeyConfig: Sendable, Equatable, CustomStringConvertible {
    public static let hashBytes = 32

    public var id: String
    public var consumer: String
    public var sha256: [UInt8]

    public init(id: String, consumer: String, sha256: [UInt8]) {
        self.id = id
        self.consumer = consumer
        self.sha256 = sha256
    }

    public var description: String { "APIKeyConfig(id: \(id), consumer: \(consumer))" }
}
