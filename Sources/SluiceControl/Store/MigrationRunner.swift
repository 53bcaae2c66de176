import SluiceHTTP
/// Brings a database's schema up to a list of migrations (shared/DESIGN.md §6).
///
/// `schema_migrations` (version, name, checksum, applied_at) is created if absent. Then, first,
/// every applied migration is checked against the list: one missing from it (a database from a
/// newer release) is `StoreError.migrationUnknown`, one whose checksum differs is
/// `StoreError.migrationChanged` — nothing is applied in either case. Then each pending migration
/// runs in its own `BEGIN IMMEDIATE` transaction, followed by `PRAGMA foreign_key_check`, and is
/// recorded in the same transaction: a failure leaves the schema as it was before that migration.
struct MigrationRunner {
    let connection: SQLiteConnection
    let migrations: [Migration]

    /// Applies pending migrations; returns the names of those applied now.
    @discardableResult
    func run(at time: UTCTime = .now()) throws(StoreError) -> [String] {
        do {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
        } catch {
            throw .sqlite(error)
        }
        var applied: [String] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let didApply = try connection.transaction { () throws(StoreError) -> Bool in
                let recorded = try appliedMigrations()
                try check(recorded)
                guard !recorded.contains(where: { $0.version == migration.version }) else { return false }
                do throws(SQLiteError) {
                    try connection.execute(migration.sql)
                } catch {
                    throw .migrationFailed(migration.name, error)
                }
                try checkForeignKeys(after: migration)
                try connection.sqlite("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                                      [.integer(Int64(migration.version)), .text(migration.name),
                                       .text(migration.checksum), .text(time.rfc3339)])
                return true
            }
            if didApply { applied.append(migration.name) }
        }
        if migrations.isEmpty {
            try check(try appliedMigrations())
        }
        return applied
    }

    private struct Applied {
        var version: Int
        var name: String
        var checksum: String
    }

    private func appliedMigrations() throws(StoreError) -> [Applied] {
        try connection.sqliteQuery("SELECT version, name, checksum FROM schema_migrations ORDER BY version") {
            Applied(version: $0.int(0), name: $0.string(1), checksum: $0.string(2))
        }
    }

    private func check(_ recorded: [Applied]) throws(StoreError) {
        for row in recorded {
            guard let known = migrations.first(where: { $0.version == row.version }) else {
                throw .migrationUnknown(row.name)
            }
            guard known.checksum == row.checksum else { throw .migrationChanged(row.name) }
        }
    }

    private func checkForeignKeys(after migration: Migration) throws(StoreError) {
        let violations = try connection.sqliteQuery("PRAGMA foreign_key_check") { $0.string(0) }
        guard violations.isEmpty else {
            throw .migrationFailed(migration.name, SQLiteError(
                code: 787, message: "foreign key violations in \(Set(violations).sorted().joined(separator: ", "))",
                sql: "PRAGMA foreign_key_check"))
        }
    }
}
