import SluiceHTTP
/// One write, as the audit log keeps it: who (token id), what, when. Never holds secrets.
public struct AuditRecord: Sendable, Equatable {
    /// Increasing with time.
    public var id: Int
    public var at: UTCTime
    /// The actor passed to the write: an admin token id (or `env:admin`, `system`, …).
    public var tokenID: String
    /// `create`, `replace`, `delete`, `publish`, `rollback`, `create_api_key`, `delete_api_key`,
    /// `create_admin_token`.
    public var action: String
    /// An `EntityKind.pathName`, or `versions`, `api-keys`, `admin-tokens`.
    public var entityKind: String
    /// The entity's name/id/kid, version number, key id or token id.
    public var entityID: String
    /// A short note (`version 3 from 1`, `consumer "acme"`), possibly empty.
    public var detail: String

    public init(id: Int, at: UTCTime, tokenID: String, action: String, entityKind: String, entityID: String, detail: String) {
        self.id = id
        self.at = at
        self.tokenID = tokenID
        self.action = action
        self.entityKind = entityKind
        self.entityID = entityID
        self.detail = detail
    }
}
