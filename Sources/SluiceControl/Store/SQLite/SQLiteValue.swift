/// A value bound to a statement parameter: SQLite's storage classes, minus REAL (unused here).
enum SQLiteValue: Sendable, Equatable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null

    /// `.text(value)` or `.null`.
    static func optional(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// `.integer(value)` or `.null`.
    static func optional(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
}
