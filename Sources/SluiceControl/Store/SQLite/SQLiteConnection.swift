import CSQLite

/// One open SQLite database file, configured for the control plane (shared/DESIGN.md §6):
///
/// - `journal_mode=WAL` (checked: the pragma must answer `wal`), `foreign_keys=ON`,
///   `busy_timeout` 5 s (another process holding the write lock is waited for, not failed);
/// - `synchronous=FULL`: each commit fsyncs the WAL before returning, so a write that was
///   acknowledged survives `kill -9` *and* power loss. (NORMAL would survive a process crash but
///   could lose the last commits on power loss; admin writes are rare, the fsync is cheap.)
///
/// Prepared statements are cached by SQL text and finalized on `close()`. Not thread-safe: the
/// owner serializes every call (`ControlPlaneStore` keeps its connection behind a `Mutex`).
/// The connection is opened `SQLITE_OPEN_FULLMUTEX` as a second line of defence.
final class SQLiteConnection {
    /// The `sqlite3*`; nil once closed.
    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    let path: String

    /// Opens (creating if absent) the database at `path` and applies the settings above.
    init(path: String) throws(SQLiteError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let error = SQLiteConnection.error(db, result, "open \(path)")
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        handle = db
        do {
            try configure()
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    private func configure() throws(SQLiteError) {
        try execute("PRAGMA busy_timeout = 5000")
        let mode = try queryOne("PRAGMA journal_mode = WAL") { $0.string(0) }
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(code: SQLITE_ERROR, message: "journal_mode is \(mode ?? "unknown"), not wal",
                              sql: "PRAGMA journal_mode = WAL")
        }
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        let foreignKeys = try queryOne("PRAGMA foreign_keys") { $0.int(0) }
        guard foreignKeys == 1 else {
            throw SQLiteError(code: SQLITE_ERROR, message: "foreign keys could not be enabled", sql: "PRAGMA foreign_keys")
        }
    }

    /// Finalizes cached statements and closes the file. Idempotent.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements without arguments or results (migration scripts, pragmas).
    func execute(_ sql: String) throws(SQLiteError) {
        let db = try open(sql)
        let result = sqlite3_exec(db, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw SQLiteConnection.error(db, result, sql) }
    }

    /// Runs one statement with `arguments`; returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ arguments: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        let db = try open(sql)
        let statement = try prepared(sql, db)
        try statement.bind(arguments, connection: db)
        try statement.step(connection: db) { _ in }
        return Int(sqlite3_changes(db))
    }

    /// Runs one query and maps each row.
    func query<Row>(_ sql: String, _ arguments: [SQLiteValue] = [], _ map: (SQLiteRow) -> Row) throws(SQLiteError) -> [Row] {
        let db = try open(sql)
        let statement = try prepared(sql, db)
        try statement.bind(arguments, connection: db)
        var rows: [Row] = []
        try statement.step(connection: db) { rows.append(map($0)) }
        return rows
    }

    /// The first row of a query, mapped, or nil when there is none.
    func queryOne<Row>(_ sql: String, _ arguments: [SQLiteValue] = [], _ map: (SQLiteRow) -> Row) throws(SQLiteError) -> Row? {
        try query(sql, arguments, map).first
    }

    /// The rowid of the last successful INSERT on this connection.
    var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// True when the connection is inside a transaction (not in autocommit mode).
    var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// `PRAGMA integrity_check` answers exactly `ok`.
    func integrityCheck() throws(SQLiteError) -> Bool {
        let rows = try query("PRAGMA integrity_check") { $0.string(0) }
        return rows == ["ok"]
    }

    private func open(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "connection is closed", sql: sql) }
        return handle
    }

    private func prepared(_ sql: String, _ db: OpaquePointer) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw SQLiteConnection.error(db, result, sql) }
        let wrapped = SQLiteStatement(handle: statement, sql: sql)
        statements[sql] = wrapped
        return wrapped
    }

    /// The error for `result` from a call on `db` (extended code and message when `db` exists).
    static func error(_ db: OpaquePointer?, _ result: Int32, _ sql: String) -> SQLiteError {
        guard let db else {
            return SQLiteError(code: result, message: String(cString: sqlite3_errstr(result)), sql: sql)
        }
        return SQLiteError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)), sql: sql)
    }
}
