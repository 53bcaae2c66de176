import Glibc
import SluiceConfig
@testable import SluiceControl
import SluiceTestSupport

/// A store on a fresh SQLite file in a temporary directory, removed (with the file) on deinit.
final class StoreTestFixture {
    let directory: TemporaryDirectory
    let path: String
    let store: ControlPlaneStore

    init(migrations: [Migration] = Migration.embedded) throws {
        directory = try TemporaryDirectory(prefix: "sluice-store")
        path = directory.file("control.db")
        store = try ControlPlaneStore(path: path, migrations: migrations)
    }

    deinit {
        store.close()
        directory.remove()
    }

    /// Creates an entity from JSON text (test input is known to be valid).
    @discardableResult
    func create(_ kind: EntityKind, _ text: String, actor: String = "tok_test") throws -> StoredEntity {
        try store.create(kind, json: try JSONParser.parse(text), actor: actor)
    }

    /// An upstream, a tier, a route and a consumer that reference them.
    func seed() throws {
        try create(.upstreams, #"{"name": "users", "targets": [{"url": "http://127.0.0.1:9001"}]}"#)
        try create(.tiers, #"{"name": "gold", "requests_per_second": 10}"#)
        try create(.routes, #"{"name": "users-api", "path_prefix": "/users", "upstream": "users"}"#)
        try create(.consumers, #"{"id": "acme", "tier": "gold"}"#)
    }

    /// Every byte of the database file and its WAL.
    func fileBytes() -> [UInt8] {
        (LocalFiles.read(path) ?? []) + (LocalFiles.read(path + "-wal") ?? [])
    }
}

/// The `StoreError` that `body` threw, or nil when it threw nothing (or something else).
func storeError(_ body: () throws -> Void) -> StoreError? {
    do {
        try body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return nil
    }
}

/// The problems of an `.invalid` error, or nil.
func problems(_ error: StoreError?) -> [ConfigProblem]? {
    guard case .invalid(let problems) = error else { return nil }
    return problems
}

/// Parses JSON test input.
func json(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

/// The repository root, found from this file's path (Tests/SluiceControlTests/...).
func repositoryRoot(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}
