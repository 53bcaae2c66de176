/// A freshly created API key: `key` is shown to the caller once and never stored (only its
/// SHA-256 is).
public struct CreatedAPIKey: Sendable, Equatable {
    /// `key_` + 16 hex digits; names the key in `DELETE /v1/consumers/{id}/api-keys/{key_id}`.
    public var keyID: String
    /// `sk_` + base64url of 32 random bytes (46 characters).
    public var key: String
    /// The first 10 characters of `key` (`sk_` + 7), stored for listings.
    public var prefix: String
}
