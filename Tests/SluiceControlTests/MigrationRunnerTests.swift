import Testing
import SluiceConfig
@testable import SluiceControl
import SluiceTestSupport

@Suite struct MigrationRunnerTests {
    @Test func migratesAnEmptyDatabaseAndRecordsChecksums() throws {
        let fixture = try StoreTestFixture()
        let connection = try SQLiteConnection(path: fixture.path)
        defer { connection.close() }
        let tables = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
        for table in ["upstreams", "routes", "tiers", "orgs", "consumers", "jwt_keys", "api_keys", "admin_tokens",
                      "config_versions", "dataplanes", "audit_log", "schema_migrations"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let recorded = try connection.query("SELECT version, name, checksum FROM schema_migrations") {
            "\($0.int(0)) \($0.string(1)) \($0.string(2))"
        }
        let first = try #require(Migration.embedded.first)
        #expect(recorded == Migration.embedded.map { "\($0.version) \($0.name) \($0.checksum)" })
        #expect(recorded.map { $0.split(separator: " ")[1] } == ["0001_initial", "0002_orgs", "0003_positions"])
        #expect(first.checksum.count == 64)
    }

    @Test func reopeningAppliesNothingAgain() throws {
        let fixture = try StoreTestFixture()
        try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 1}"#)
        let connection = try SQLiteConnection(path: fixture.path)
        defer { connection.close() }
        let applied = try MigrationRunner(connection: connection, migrations: Migration.embedded).run()
        #expect(applied.isEmpty)
        let again = try ControlPlaneStore(path: fixture.path)
        defer { again.close() }
        #expect(try again.get(.tiers, "gold") != nil)
        #expect(try connection.queryOne("SELECT COUNT(*) FROM schema_migrations") { $0.int(0) } == Migration.embedded.count)
    }

    @Test func refusesAnAppliedMigrationThatChanged() throws {
        let fixture = try StoreTestFixture()
        var changed = Migration.embedded
        changed[0].sql += "\n-- edited after it was applied\n"
        #expect(throws: StoreError.migrationChanged("0001_initial")) {
            _ = try ControlPlaneStore(path: fixture.path, migrations: changed)
        }
    }

    @Test func refusesATamperedChecksumRow() throws {
        let fixture = try StoreTestFixture()
        fixture.store.close()
        let connection = try SQLiteConnection(path: fixture.path)
        try connection.run("UPDATE schema_migrations SET checksum = ? WHERE version = 1", [.text(String(repeating: "0", count: 64))])
        connection.close()
        let error = storeError { _ = try ControlPlaneStore(path: fixture.path) }
        #expect(error == .migrationChanged("0001_initial"))
        #expect(error?.description.contains("0001_initial was changed") == true)
    }

    @Test func refusesADatabaseWithAnUnknownNewerMigration() throws {
        let fixture = try StoreTestFixture()
        let newer = try #require(Migration(name: "9999_newer", sql: "CREATE TABLE newer (x INTEGER);"))
        let upgraded = try ControlPlaneStore(path: fixture.path, migrations: Migration.embedded + [newer])
        upgraded.close()
        #expect(throws: StoreError.migrationUnknown("9999_newer")) {
            _ = try ControlPlaneStore(path: fixture.path, migrations: Migration.embedded)
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let fixture = try StoreTestFixture()
        let broken = try #require(Migration(name: "9999_broken", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM missing;"))
        let error = storeError { _ = try ControlPlaneStore(path: fixture.path, migrations: Migration.embedded + [broken]) }
        guard case .migrationFailed(let name, let sqlite)? = error else {
            Issue.record("expected migrationFailed, got \(String(describing: error))")
            return
        }
        #expect(name == "9999_broken")
        #expect(sqlite.message.contains("missing"))
        let connection = try SQLiteConnection(path: fixture.path)
        defer { connection.close() }
        #expect(try connection.queryOne("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'") { $0.int(0) } == 0)
        #expect(try connection.queryOne("SELECT MAX(version) FROM schema_migrations") { $0.int(0) } == Migration.embedded.count)
    }

    @Test func appliesMigrationsInVersionOrder() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-migrate")
        defer { directory.remove() }
        let second = try #require(Migration(name: "0002_b", sql: "CREATE TABLE b (a_id INTEGER REFERENCES a(id));"))
        let first = try #require(Migration(name: "0001_a", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY);"))
        let connection = try SQLiteConnection(path: directory.file("order.db"))
        defer { connection.close() }
        let applied = try MigrationRunner(connection: connection, migrations: [second, first]).run()
        #expect(applied == ["0001_a", "0002_b"])
    }

    @Test func migrationNamesNeedANumberAndAnUnderscore() {
        #expect(Migration(name: "0003_add_things", sql: "")?.version == 3)
        #expect(Migration(name: "initial", sql: "") == nil)
        #expect(Migration(name: "0003add", sql: "") == nil)
        #expect(Migration(name: "0000_zero", sql: "") == nil)
    }
}
