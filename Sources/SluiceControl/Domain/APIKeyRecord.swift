import SluiceHTTP
/// A stored API key (no secret: `keyHash` is the SHA-256 hex of the key, for data-plane lookups;
/// do not show it in the admin API).
public struct APIKeyRecord: Sendable, Equatable {
    public var keyID: String
    public var consumerID: String
    public var prefix: String
    public var keyHash: String
    public var createdAt: UTCTime
}
