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

/// A stored API key (no secret: `keyHash` is the SHA-256 hex of the key, for data-plane lookups;
/// do not show it in the admin API).
public struct APIKeyRecord: Sendable, Equatable {
    public var keyID: String
    public var consumerID: String
    public var prefix: String
    public var keyHash: String
    public var createdAt: UTCTime
}

/// A freshly created admin token: `token` is shown once and never stored (only its SHA-256 is).
public struct CreatedAdminToken: Sendable, Equatable {
    /// `tok_` + 16 hex digits; what `verifyAdminToken` returns and the audit log records.
    public var id: String
    /// `sat_` + base64url of 32 random bytes.
    public var token: String
}
