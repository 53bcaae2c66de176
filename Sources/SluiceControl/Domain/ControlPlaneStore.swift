import Synchronization
import SluiceConfig
import SluiceHTTP

/// The control plane's state (shared/DESIGN.md §6): the working configuration's entities, API
/// keys, admin tokens, published versions, data-plane status and the audit log, in one SQLite
/// file.
///
/// **Threads**: safe from any thread. Every call runs on one connection behind a `Mutex`, so
/// calls are serialized (DESIGN §6: one writer); each call is short (no network I/O under the
/// lock). **Durability**: every write runs in one `BEGIN IMMEDIATE` transaction that has
/// committed — with `synchronous=FULL` in WAL mode, fsynced — before the call returns, so an
/// acknowledged write survives `kill -9` and power loss; a write that throws changed nothing.
/// **Actors**: writes take `actor`, the admin token id recorded in the audit log.
public final class ControlPlaneStore: Sendable {
    private let state: Mutex<SQLiteConnection>
    private let publishListeners = Mutex<[@Sendable (VersionRecord) -> Void]>([])
    /// The database file's path.
    public let path: String
    /// Duration of every call's work on the connection (`sluice_control_sqlite_duration_seconds`).
    public let sqliteDurations = LockedHistogram(buckets: LockedHistogram.sqliteBuckets)

    /// Opens the database at `path`, creating the file if absent, and applies `migrations`
    /// (the embedded ones by default; see `Migration.load(directory:)` for an override).
    ///
    /// Errors: `.cannotOpen` (parent directory missing or unwritable, file unreadable),
    /// `.corrupt` (not a SQLite database, or `PRAGMA quick_check` fails), `.migrationChanged`, `.migrationUnknown`,
    /// `.migrationFailed`.
    public init(path: String, migrations: [Migration] = Migration.embedded) throws(StoreError) {
        self.path = path
        try ControlPlaneStore.checkDirectory(of: path)
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path)
        } catch {
            throw ControlPlaneStore.openError(path, error)
        }
        do {
            try ControlPlaneStore.quickCheck(connection, path)
            try MigrationRunner(connection: connection, migrations: migrations).run()
        } catch {
            connection.close()
            if case .sqlite(let sqliteError) = error { throw ControlPlaneStore.openError(path, sqliteError) }
            throw error
        }
        state = Mutex(connection)
    }

    /// Runs `body` with the connection, serialized with every other call.
    @discardableResult
    func locked<Result: Sendable>(_ body: (SQLiteConnection) throws(StoreError) -> Result) throws(StoreError) -> Result {
        let durations = sqliteDurations
        return try state.withLock { (connection: inout sending SQLiteConnection) throws(StoreError) -> Result in
            let start = MonotonicClock.nanoseconds()
            defer { durations.record(nanoseconds: MonotonicClock.nanoseconds() &- start) }
            return try body(connection)
        }
    }

    /// `PRAGMA integrity_check` answers `ok` (for tests and `sluice-control` health checks).
    public func integrityCheck() throws(StoreError) -> Bool {
        try locked { (connection) throws(StoreError) -> Bool in
            do throws(SQLiteError) { return try connection.integrityCheck() } catch { throw .sqlite(error) }
        }
    }

    /// Calls `listener` after each version is committed (publish or rollback, not an unchanged
    /// publish), on the thread that published, outside the store's lock. For waking long polls.
    public func addPublishListener(_ listener: @escaping @Sendable (VersionRecord) -> Void) {
        publishListeners.withLock { $0.append(listener) }
    }

    func notifyPublished(_ record: VersionRecord) {
        let listeners = publishListeners.withLock { $0 }
        for listener in listeners { listener(record) }
    }

    /// Closes the database; every later call fails with `.sqlite` ("connection is closed").
    public func close() {
        state.withLock { $0.close() }
    }

    /// Records one write in the audit log (inside the caller's transaction).
    func audit(_ connection: SQLiteConnection, actor: String, action: String, kind: String, id: String,
               detail: String = "", at time: UTCTime) throws(StoreError) {
        try connection.sqlite("""
            INSERT INTO audit_log (at, token_id, action, entity_kind, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(time.rfc3339), .text(actor), .text(action), .text(kind), .text(id), .text(detail)])
    }

    private static func checkDirectory(of path: String) throws(StoreError) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        if let problem = LocalFiles.problemCreatingFile(in: directory) {
            throw .cannotOpen(path: path, reason: problem)
        }
    }

    /// `PRAGMA quick_check` (linear in the file's size; the control plane's database is small)
    /// so a damaged file is refused at start instead of failing some later request.
    private static func quickCheck(_ connection: SQLiteConnection, _ path: String) throws(StoreError) {
        let messages = try connection.sqliteQuery("PRAGMA quick_check") { $0.string(0) }
        guard messages == ["ok"] else {
            throw .corrupt(path: path, reason: messages.prefix(3).joined(separator: "; "))
        }
    }

    private static func openError(_ path: String, _ error: SQLiteError) -> StoreError {
        switch error.primaryCode {
        case 26, 11: .corrupt(path: path, reason: error.message)   // SQLITE_NOTADB, SQLITE_CORRUPT
        case 14, 3, 8, 10: .cannotOpen(path: path, reason: error.message)  // CANTOPEN, PERM, READONLY, IOERR
        default: .sqlite(error)
        }
    }
}
