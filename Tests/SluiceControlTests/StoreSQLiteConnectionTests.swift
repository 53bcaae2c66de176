import Testing
@testable import SluiceControl
import SluiceTestSupport

@Suite struct StoreSQLiteConnectionTests {
    private func withConnection(_ body: (SQLiteConnection) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "sluice-sqlite")
        defer { directory.remove() }
        let connection = try SQLiteConnection(path: directory.file("test.db"))
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT)")
        try body(connection)
    }

    @Test func bindsAndReadsEveryType() throws {
        try withConnection { (connection) throws in
            let blob: [UInt8] = [0, 1, 2, 255, 0]
            let changed = try connection.run("INSERT INTO t VALUES (?, ?, ?, ?)",
                                             [.integer(Int64.min), .text("héllo \u{0}x"), .blob(blob), .null])
            #expect(changed == 1)
            try connection.run("INSERT INTO t VALUES (?, ?, ?, ?)", [.integer(7), .text(""), .blob([]), .text("n")])
            let rows = try connection.query("SELECT i, s, b, n FROM t ORDER BY rowid") {
                ($0.int64(0), $0.string(1), $0.bytes(2), $0.optionalString(3), $0.isNull(2))
            }
            #expect(rows.count == 2)
            #expect(rows[0].0 == Int64.min)
            #expect(rows[0].1 == "héllo \u{0}x")
            #expect(rows[0].2 == blob)
            #expect(rows[0].3 == nil)
            #expect(rows[1].2 == [])
            #expect(rows[1].4 == false, "an empty blob is a blob, not NULL")
            #expect(rows[1].3 == "n")
        }
    }

    @Test func errorsCarryCodeMessageAndSQLButNotArguments() throws {
        try withConnection { (connection) throws in
            try connection.execute("CREATE TABLE u (k TEXT PRIMARY KEY)")
            try connection.run("INSERT INTO u VALUES (?)", [.text("secret-hash-value")])
            do {
                try connection.run("INSERT INTO u VALUES (?)", [.text("secret-hash-value")])
                Issue.record("duplicate insert succeeded")
            } catch let error as SQLiteError {
                #expect(error.code == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
                #expect(error.primaryCode == 19)
                #expect(error.sql == "INSERT INTO u VALUES (?)")
                #expect(error.message.contains("UNIQUE constraint failed"))
                #expect(!error.description.contains("secret-hash-value"))
            } catch {
                Issue.record("unexpected \(error)")
            }
            #expect(throws: SQLiteError.self) { try connection.run("SELEKT 1") }
        }
    }

    @Test func wrongArgumentCountsAreRefused() throws {
        try withConnection { (connection) throws in
            #expect(throws: SQLiteError.self) { try connection.run("INSERT INTO t (i) VALUES (?)", []) }
            #expect(try connection.queryOne("SELECT COUNT(*) FROM t") { $0.int(0) } == 0)
        }
    }

    @Test func cachedStatementsAreReusedWithFreshBindings() throws {
        try withConnection { (connection) throws in
            for value in 1...50 { try connection.run("INSERT INTO t (i) VALUES (?)", [.integer(Int64(value))]) }
            let sum = try connection.queryOne("SELECT SUM(i) FROM t WHERE i > ?", [.integer(25)]) { $0.int(0) }
            #expect(sum == (26...50).reduce(0, +))
            let again = try connection.queryOne("SELECT SUM(i) FROM t WHERE i > ?", [.integer(48)]) { $0.int(0) }
            #expect(again == 49 + 50)
        }
    }

    @Test func aTransactionRollsBackWhenItsBodyThrows() throws {
        try withConnection { (connection) throws in
            let error = storeError {
                try connection.transaction { () throws(StoreError) in
                    try connection.sqlite("INSERT INTO t (i) VALUES (1)")
                    throw .conflict("stop")
                }
            }
            #expect(error == .conflict("stop"))
            #expect(!connection.isInTransaction)
            #expect(try connection.queryOne("SELECT COUNT(*) FROM t") { $0.int(0) } == 0)
            _ = try connection.transaction { () throws(StoreError) in try connection.sqlite("INSERT INTO t (i) VALUES (2)") }
            #expect(try connection.queryOne("SELECT COUNT(*) FROM t") { $0.int(0) } == 1)
        }
    }

    @Test func nestedTransactionsAreRefused() throws {
        try withConnection { (connection) throws in
            let error = storeError {
                try connection.transaction { () throws(StoreError) in
                    try connection.transaction { () throws(StoreError) in }
                }
            }
            guard case .sqlite(let sqlite)? = error else {
                Issue.record("expected sqlite error, got \(String(describing: error))")
                return
            }
            #expect(sqlite.message == "nested transaction")
            #expect(!connection.isInTransaction)
        }
    }

    @Test func integrityCheckPassesOnAHealthyDatabase() throws {
        try withConnection { (connection) throws in
            try connection.run("INSERT INTO t (i) VALUES (1)")
            #expect(try connection.integrityCheck())
        }
    }

    @Test func longSQLIsShortenedInErrors() {
        let error = SQLiteError(code: 1, message: "m", sql: String(repeating: "x", count: 500))
        #expect(error.sql.count == 201)
    }
}
