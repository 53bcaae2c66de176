/// One schema migration: `migrations/NNNN_name.sql`, applied once, in `version` order, and
/// recorded with the SHA-256 of its exact bytes.
public struct Migration: Sendable, Equatable {
    /// The file's number (`0001` → 1).
    public var version: Int
    /// The file name without `.sql`, e.g. `0001_initial`.
    public var name: String
    public var sql: String

    /// Parses the version from `name`'s leading digits; nil when it has none.
    public init?(name: String, sql: String) {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count < 10, let version = Int(digits), version > 0,
              name.dropFirst(digits.count).first == "_" else { return nil }
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 (hex) of the SQL's UTF-8 bytes, as recorded in `schema_migrations.checksum`.
    public var checksum: String { SHA256Digest.hex(sql) }

    /// The migrations built into this binary (generated from `migrations/` by `migrations/embed.sh`).
    public static let embedded: [Migration] = EmbeddedMigrations.files.compactMap { Migration(name: $0.name, sql: $0.sql) }

    /// Reads `NNNN_name.sql` files from `directory` (for `--migrations DIR`), sorted by version.
    public static func load(directory: String) throws(StoreError) -> [Migration] {
        let names: [String]
        switch LocalFiles.names(in: directory) {
        case .success(let found): names = found
        case .failure(let error): throw .migrationFiles("cannot read directory \(directory): \(error.message)")
        }
        var found: [Migration] = []
        for fileName in names where fileName.hasSuffix(".sql") {
            guard let bytes = LocalFiles.read(directory + "/" + fileName) else {
                throw .migrationFiles("cannot read \(directory)/\(fileName)")
            }
            guard let migration = Migration(name: String(fileName.dropLast(4)), sql: String(decoding: bytes, as: UTF8.self)) else {
                continue
            }
            found.append(migration)
        }
        found.sort { $0.version < $1.version }
        for index in found.indices.dropFirst() where found[index].version == found[index - 1].version {
            throw .migrationFiles("two migrations numbered \(found[index].version): \(found[index - 1].name), \(found[index].name)")
        }
        return found
    }
}
