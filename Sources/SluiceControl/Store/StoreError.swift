import SluiceConfig

/// Why a `ControlPlaneStore` call failed. The admin API maps each case to one status:
///
/// | case | HTTP |
/// | --- | --- |
/// | `invalid` | 422 `{"errors": [{pointer, message}]}` (400 if `syntax` problems only — the store never parses bytes, so it never produces those) |
/// | `conflict` | 409 |
/// | `notFound` | 404 |
/// | `preconditionFailed` | 412 |
/// | everything else | 500 (at start: exit non-zero with `description`) |
///
/// Messages never contain secrets (keys, tokens, their hashes, bound SQL arguments).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entity or the working configuration breaks the rules; every problem, each at a JSON
    /// Pointer (relative to the entity for entity writes, to the snapshot for publish).
    case invalid([ConfigProblem])
    /// A name already taken, or a delete of something still referenced ("upstream \"users\" is
    /// used by route \"users-api\"").
    case conflict(String)
    /// What was not found, e.g. `upstream "users"`, `version 7`, `api key "key_…"`.
    case notFound(String)
    /// `If-Match` did not match the entity's current ETag (or the entity is gone).
    case preconditionFailed(String)
    /// A SQLite call failed.
    case sqlite(SQLiteError)
    /// The database file cannot be created or opened (missing or unwritable directory, …).
    case cannotOpen(path: String, reason: String)
    /// The file is not a SQLite database or is damaged.
    case corrupt(path: String, reason: String)
    /// An applied migration's file changed since it was applied (checksum mismatch).
    case migrationChanged(String)
    /// The database has an applied migration this binary does not know (a newer release made it).
    case migrationUnknown(String)
    /// A migration's SQL failed; nothing of it was kept.
    case migrationFailed(String, SQLiteError)
    /// Migration files could not be read (`Migration.load(directory:)`).
    case migrationFiles(String)
    /// The random generator failed, so no key or token could be made.
    case randomUnavailable

    public var description: String {
        switch self {
        case .invalid(let problems):
            "invalid configuration: " + problems.map(\.description).joined(separator: "; ")
        case .conflict(let message): "conflict: \(message)"
        case .notFound(let what): "\(what) not found"
        case .preconditionFailed(let message): "precondition failed: \(message)"
        case .sqlite(let error): error.description
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        case .corrupt(let path, let reason): "database \(path) is corrupt or not a SQLite database: \(reason)"
        case .migrationChanged(let name):
            "migration \(name) was changed after it was applied to this database; restore the original file"
        case .migrationUnknown(let name):
            "the database has migration \(name) applied, which this binary does not know (made by a newer release?)"
        case .migrationFailed(let name, let error): "migration \(name) failed: \(error)"
        case .migrationFiles(let message): "migrations: \(message)"
        case .randomUnavailable: "the secure random generator failed"
        }
    }
}
