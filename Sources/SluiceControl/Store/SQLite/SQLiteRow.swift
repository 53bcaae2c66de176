import CSQLite

/// The current row of a stepping statement; valid only inside the closure it is passed to.
/// Column indexes are 0-based. Reading a NULL gives 0, "" or [] (use `isNull` to tell).
struct SQLiteRow {
    /// The statement positioned on a row by `sqlite3_step`; borrowed, never finalized here.
    let handle: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func string(_ column: Int32) -> String {
        // sqlite3_column_text returns a NUL-terminated UTF-8 copy owned by the statement, valid
        // until the next step/reset; the String is created from it before that.
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func bytes(_ column: Int32) -> [UInt8] {
        // Blob (or text) bytes owned by the statement, copied into the array before the next step.
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
