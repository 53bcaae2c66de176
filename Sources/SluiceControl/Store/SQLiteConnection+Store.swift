/// The connection's calls with errors as `StoreError`, and transactions, for the repositories.
extension SQLiteConnection {
    /// Runs `body` in a `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so two
    /// writers never deadlock upgrading a read lock) and commits; any error thrown rolls it back.
    /// When `COMMIT` returns, the transaction is durable (see the connection's `synchronous`).
    /// Nesting is a programming error and is refused.
    func transaction<Result>(_ body: () throws(StoreError) -> Result) throws(StoreError) -> Result {
        guard !isInTransaction else {
            throw .sqlite(SQLiteError(code: 21, message: "nested transaction", sql: "BEGIN IMMEDIATE"))
        }
        try sqlite("BEGIN IMMEDIATE")
        let result: Result
        do {
            result = try body()
            try sqlite("COMMIT")
        } catch {
            if isInTransaction { _ = try? run("ROLLBACK") }
            throw error
        }
        return result
    }

    @discardableResult
    func sqlite(_ sql: String, _ arguments: [SQLiteValue] = []) throws(StoreError) -> Int {
        do { return try run(sql, arguments) } catch { throw .sqlite(error) }
    }

    func sqliteQuery<Row>(_ sql: String, _ arguments: [SQLiteValue] = [], _ map: (SQLiteRow) -> Row) throws(StoreError) -> [Row] {
        do { return try query(sql, arguments, map) } catch { throw .sqlite(error) }
    }

    func sqliteQueryOne<Row>(_ sql: String, _ arguments: [SQLiteValue] = [], _ map: (SQLiteRow) -> Row) throws(StoreError) -> Row? {
        do { return try queryOne(sql, arguments, map) } catch { throw .sqlite(error) }
    }
}
