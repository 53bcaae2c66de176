import SluiceConfig

/// One entity as stored: its identity, its canonical snapshot JSON object (exactly what appears
/// in a published snapshot), and a strong ETag of that JSON.
public struct StoredEntity: Sendable, Equatable {
    /// The name, id or kid.
    public var id: String
    /// The canonical JSON object (defaults written, fixed key order).
    public var json: JSONValue
    /// A quoted strong entity tag (RFC 9110 §8.8.3): `"` + SHA-256 hex of the canonical JSON + `"`.
    /// Changes exactly when the JSON changes; pass it back as `ifMatch`.
    public var etag: String

    public init(id: String, json: JSONValue, etag: String) {
        self.id = id
        self.json = json
        self.etag = etag
    }
}
