import SluiceHTTP
/// SQL for the six entity tables (see `migrations/0001_initial.sql`, `0002_orgs.sql`). Rows are kept in
/// `position` order, which is the working configuration's order. Callers hold the connection's
/// lock and open transactions around multi-statement writes.
struct EntityRepository {
    let connection: SQLiteConnection

    func count(_ table: EntityTable) throws(StoreError) -> Int {
        try connection.sqliteQueryOne("SELECT COUNT(*) FROM \(table.name)") { $0.int(0) } ?? 0
    }

    func rows(_ table: EntityTable, limit: Int = -1, offset: Int = 0) throws(StoreError) -> [EntityRow] {
        let reference = table.referenceColumn ?? "NULL"
        return try connection.sqliteQuery(
            "SELECT \(table.keyColumn), \(reference), json FROM \(table.name) ORDER BY position LIMIT ? OFFSET ?",
            [.integer(Int64(limit)), .integer(Int64(offset))]
        ) { EntityRow(key: $0.string(0), reference: $0.optionalString(1), json: $0.string(2)) }
    }

    func row(_ table: EntityTable, key: String) throws(StoreError) -> EntityRow? {
        let reference = table.referenceColumn ?? "NULL"
        return try connection.sqliteQueryOne(
            "SELECT \(table.keyColumn), \(reference), json FROM \(table.name) WHERE \(table.keyColumn) = ?", [.text(key)]
        ) { EntityRow(key: $0.string(0), reference: $0.optionalString(1), json: $0.string(2)) }
    }

    func exists(_ table: EntityTable, key: String) throws(StoreError) -> Bool {
        try connection.sqliteQueryOne("SELECT 1 FROM \(table.name) WHERE \(table.keyColumn) = ?", [.text(key)]) { _ in true } ?? false
    }

    /// Appends a row after the last one.
    func insert(_ table: EntityTable, _ row: EntityRow, at time: UTCTime) throws(StoreError) {
        if let column = table.referenceColumn {
            try connection.sqlite("""
                INSERT INTO \(table.name) (\(table.keyColumn), position, \(column), json, updated_at)
                VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM \(table.name)), ?, ?, ?)
                """, [.text(row.key), .optional(row.reference), .text(row.json), .text(time.rfc3339)])
        } else {
            try connection.sqlite("""
                INSERT INTO \(table.name) (\(table.keyColumn), position, json, updated_at)
                VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM \(table.name)), ?, ?)
                """, [.text(row.key), .text(row.json), .text(time.rfc3339)])
        }
    }

    /// Replaces a row's JSON (and reference) in place; returns whether it existed.
    func update(_ table: EntityTable, _ row: EntityRow, at time: UTCTime) throws(StoreError) -> Bool {
        if let column = table.referenceColumn {
            return try connection.sqlite("UPDATE \(table.name) SET \(column) = ?, json = ?, updated_at = ? WHERE \(table.keyColumn) = ?",
                                         [.optional(row.reference), .text(row.json), .text(time.rfc3339), .text(row.key)]) > 0
        }
        return try connection.sqlite("UPDATE \(table.name) SET json = ?, updated_at = ? WHERE \(table.keyColumn) = ?",
                                     [.text(row.json), .text(time.rfc3339), .text(row.key)]) > 0
    }

    /// Inserts or updates a row at an explicit position (rollback's reset).
    func upsert(_ table: EntityTable, _ row: EntityRow, position: Int, at time: UTCTime) throws(StoreError) {
        let column = table.referenceColumn.map { ", \($0)" } ?? ""
        let value = table.referenceColumn == nil ? "" : ", ?"
        let set = table.referenceColumn.map { ", \($0) = excluded.\($0)" } ?? ""
        var arguments: [SQLiteValue] = [.text(row.key), .integer(Int64(position))]
        if table.referenceColumn != nil { arguments.append(.optional(row.reference)) }
        arguments += [.text(row.json), .text(time.rfc3339)]
        try connection.sqlite("""
            INSERT INTO \(table.name) (\(table.keyColumn), position\(column), json, updated_at) VALUES (?, ?\(value), ?, ?)
            ON CONFLICT(\(table.keyColumn)) DO UPDATE SET position = excluded.position\(set), json = excluded.json,
                updated_at = CASE WHEN json = excluded.json THEN updated_at ELSE excluded.updated_at END
            """, arguments)
    }

    /// Deletes a row; returns whether it existed.
    func delete(_ table: EntityTable, key: String) throws(StoreError) -> Bool {
        try connection.sqlite("DELETE FROM \(table.name) WHERE \(table.keyColumn) = ?", [.text(key)]) > 0
    }

    /// Keys of `table`'s rows whose reference column holds `name`, in position order.
    func keys(_ table: EntityTable, referencing name: String, limit: Int) throws(StoreError) -> [String] {
        guard let column = table.referenceColumn else { return [] }
        return try connection.sqliteQuery(
            "SELECT \(table.keyColumn) FROM \(table.name) WHERE \(column) = ? ORDER BY position LIMIT ?",
            [.text(name), .integer(Int64(limit))]) { $0.string(0) }
    }
}
