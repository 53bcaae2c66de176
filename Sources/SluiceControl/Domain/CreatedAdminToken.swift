/// A freshly created admin token: `token` is shown once and never stored (only its SHA-256 is).
public struct CreatedAdminToken: Sendable, Equatable {
    /// `tok_` + 16 hex digits; what `verifyAdminToken` returns and the audit log records.
    public var id: String
    /// `sat_` + base64url of 32 random bytes.
    public var token: String
}
