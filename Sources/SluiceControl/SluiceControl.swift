import CSQLite
// SluiceControl: see shared/DESIGN.md §3. Filled in by its issue.
func sqliteVersion() -> Int32 { sqlite3_libversion_number() }
