import CSQLite

/// One prepared statement, owned by a `SQLiteConnection`'s cache and finalized when the
/// connection closes. Not thread-safe: used only by its connection's owner.
final class SQLiteStatement {
    /// The `sqlite3_stmt`; finalized exactly once, by `finalize()`.
    let handle: OpaquePointer
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    /// Binds `values` to parameters 1...n after clearing earlier bindings.
    func bind(_ values: [SQLiteValue], connection: OpaquePointer) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "expected \(expected) arguments, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .integer(let number):
                result = sqlite3_bind_int64(handle, index, number)
            case .text(let text):
                // SQLITE_TRANSIENT: SQLite copies the bytes before returning, so the temporary
                // C string may be freed as soon as the call is done. The explicit length keeps
                // embedded NULs; withCString's pointer is never NULL, so "" binds as text.
                let length = Int32(text.utf8.count)
                result = text.withCString { sqlite3_bind_text(handle, index, $0, length, SQLiteStatement.transient) }
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    // A zero-length blob needs a non-NULL pointer or SQLite binds NULL.
                    sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      Int32(buffer.count), SQLiteStatement.transient)
                }
            case .null:
                result = sqlite3_bind_null(handle, index)
            }
            guard result == SQLITE_OK else { throw SQLiteConnection.error(connection, result, sql) }
        }
    }

    /// Steps to completion, calling `row` for each result row.
    func step(connection: OpaquePointer, _ row: (SQLiteRow) -> Void) throws(SQLiteError) {
        defer { sqlite3_reset(handle) }
        while true {
            let result = sqlite3_step(handle)
            switch result {
            case SQLITE_ROW: row(SQLiteRow(handle: handle))
            case SQLITE_DONE: return
            default: throw SQLiteConnection.error(connection, result, sql)
            }
        }
    }

    func finalize() {
        sqlite3_finalize(handle)
    }

    /// SQLite's `SQLITE_TRANSIENT` destructor sentinel ((sqlite3_destructor_type)-1), which the C
    /// macro defines and Swift cannot import: it tells SQLite to copy bound bytes immediately.
    static let transient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
}
