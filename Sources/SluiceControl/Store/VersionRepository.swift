import SluiceHTTP
/// SQL for `config_versions`: immutable rows, appended only.
struct VersionRepository {
    let connection: SQLiteConnection

    private static let columns = "version, created_at, created_by, comment, sha256, kind, rolled_back_from"

    func latest() throws(StoreError) -> Int {
        try connection.sqliteQueryOne("SELECT COALESCE(MAX(version), 0) FROM config_versions") { $0.int(0) } ?? 0
    }

    func count() throws(StoreError) -> Int {
        try connection.sqliteQueryOne("SELECT COUNT(*) FROM config_versions") { $0.int(0) } ?? 0
    }

    /// Newest first, without snapshot JSON.
    func list(limit: Int, offset: Int) throws(StoreError) -> [VersionRecord] {
        try connection.sqliteQuery(
            "SELECT \(VersionRepository.columns) FROM config_versions ORDER BY version DESC LIMIT ? OFFSET ?",
            [.integer(Int64(limit)), .integer(Int64(offset))]) { VersionRepository.record($0, json: []) }
    }

    /// With snapshot JSON.
    func find(_ version: Int) throws(StoreError) -> VersionRecord? {
        try connection.sqliteQueryOne(
            "SELECT \(VersionRepository.columns), snapshot_json FROM config_versions WHERE version = ?",
            [.integer(Int64(version))]) { VersionRepository.record($0, json: $0.bytes(7)) }
    }

    func insert(_ record: VersionRecord) throws(StoreError) {
        try connection.sqlite("""
            INSERT INTO config_versions (version, created_at, created_by, comment, snapshot_json, sha256, kind, rolled_back_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(Int64(record.version)), .text(record.createdAt.rfc3339), .text(record.createdBy),
                  .text(record.comment), .blob(record.snapshotJSON), .text(record.sha256), .text(record.kind.rawValue),
                  .optional(record.rolledBackFrom)])
    }

    private static func record(_ row: SQLiteRow, json: [UInt8]) -> VersionRecord {
        VersionRecord(version: row.int(0), createdAt: UTCTime(rfc3339: row.string(1)) ?? UTCTime(secondsSince1970: 0),
                      createdBy: row.string(2), comment: row.string(3), sha256: row.string(4),
                      kind: VersionKind(rawValue: row.string(5)) ?? .publish, rolledBackFrom: row.optionalInt(6),
                      snapshotJSON: json)
    }
}
