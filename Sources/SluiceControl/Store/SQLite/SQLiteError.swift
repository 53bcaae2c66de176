/// A failed SQLite call: the extended result code, SQLite's message, and the SQL it ran.
///
/// Bound arguments are never included: they hold key and token hashes. The SQL of a migration
/// script is shortened to its first 200 characters.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`), e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE.
    public var code: Int32
    /// `sqlite3_errmsg` (or `sqlite3_errstr` when there is no connection).
    public var message: String
    /// The statement that failed, or a description of the call (`open /path/db`).
    public var sql: String

    public init(code: Int32, message: String, sql: String) {
        self.code = code
        self.message = message
        self.sql = sql.count > 200 ? String(sql.prefix(200)) + "…" : sql
    }

    /// The primary result code (the low 8 bits), e.g. 19 for any SQLITE_CONSTRAINT.
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String { "SQLite error \(code): \(message) (in: \(sql))" }
}
