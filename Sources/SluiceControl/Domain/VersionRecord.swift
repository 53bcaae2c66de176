import SluiceHTTP
/// One published, immutable configuration version.
public struct VersionRecord: Sendable, Equatable {
    /// 1, 2, 3, … in publish order.
    public var version: Int
    public var createdAt: UTCTime
    /// The token id of whoever published it.
    public var createdBy: String
    public var comment: String
    /// SHA-256 (hex) of the content: the canonical snapshot JSON with `"version": 0`, so equal
    /// configurations have equal hashes whatever their version numbers.
    public var sha256: String
    public var kind: VersionKind
    /// For rollbacks: the version whose content this is.
    public var rolledBackFrom: Int?
    /// The canonical snapshot JSON with `"version": <version>` inside: what data planes receive.
    /// Empty in `versions(limit:offset:)` listings; filled by `version(_:)`, `publish`, `rollback`.
    public var snapshotJSON: [UInt8]

    public init(version: Int, createdAt: UTCTime, createdBy: String, comment: String, sha256: String,
                kind: VersionKind, rolledBackFrom: Int?, snapshotJSON: [UInt8]) {
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.comment = comment
        self.sha256 = sha256
        self.kind = kind
        self.rolledBackFrom = rolledBackFrom
        self.snapshotJSON = snapshotJSON
    }
}
