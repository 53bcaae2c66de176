import SluiceConfig
import SluiceHTTP

/// The working configuration as a whole, and published versions: `/v1/config/validate`,
/// `/v1/versions…`, and what `/v1/dataplane/snapshot` serves.
extension ControlPlaneStore {
    /// The working configuration (entities in creation order), `version` 0. Its `api_keys` are the
    /// stored API keys (id, consumer, SHA-256 of the key; oldest first), so issuing or revoking a
    /// key changes the next published version.
    public func workingSnapshot() throws(StoreError) -> Snapshot {
        let path = self.path
        return try locked { (connection) throws(StoreError) -> Snapshot in
            try ControlPlaneStore.workingSnapshot(connection, path)
        }
    }

    /// Every problem the working configuration has (empty: it can be published). Pointers are
    /// snapshot-level, such as `/routes/0/upstream`.
    public func validateWorking() throws(StoreError) -> [ConfigProblem] {
        // Decoding the working snapshot already applied each entity's own rules.
        try workingSnapshot().crossEntityProblems()
    }

    /// Validates the working configuration and publishes it as version latest+1, with
    /// `"version": N` inside its snapshot JSON. If its content equals the latest version's
    /// (same `sha256`), nothing is written and the latest version is returned, `created` false.
    ///
    /// Errors: `.invalid` with snapshot-level pointers (nothing published).
    public func publish(comment: String, actor: String) throws(StoreError) -> PublishResult {
        let path = self.path
        let time = UTCTime.now()
        let result = try locked { (connection) throws(StoreError) -> PublishResult in
            try connection.transaction { () throws(StoreError) -> PublishResult in
                let snapshot = try ControlPlaneStore.workingSnapshot(connection, path)
                let problems = snapshot.crossEntityProblems()  // entity rules: applied by decoding
                guard problems.isEmpty else { throw .invalid(problems) }
                let versions = VersionRepository(connection: connection)
                let latest = try versions.latest()
                let hash = ControlPlaneStore.contentHash(snapshot)
                if latest > 0, let record = try versions.find(latest), record.sha256 == hash {
                    return PublishResult(version: record, created: false)
                }
                let record = try ControlPlaneStore.appendVersion(snapshot, number: latest + 1, hash: hash, comment: comment,
                                                                 actor: actor, kind: .publish, from: nil, time, versions)
                try audit(connection, actor: actor, action: "publish", kind: "versions", id: String(record.version),
                          detail: comment, at: time)
                return PublishResult(version: record, created: true)
            }
        }
        if result.created { notifyPublished(result.version) }
        return result
    }

    /// Versions newest first, `limit` from `offset`, without snapshot JSON.
    public func versions(limit: Int, offset: Int) throws(StoreError) -> [VersionRecord] {
        try locked { (connection) throws(StoreError) -> [VersionRecord] in
            try VersionRepository(connection: connection).list(limit: max(0, limit), offset: max(0, offset))
        }
    }

    /// How many versions exist (for pagination).
    public func versionCount() throws(StoreError) -> Int {
        try locked { (connection) throws(StoreError) -> Int in try VersionRepository(connection: connection).count() }
    }

    /// Version `number` with its snapshot JSON, or nil.
    public func version(_ number: Int) throws(StoreError) -> VersionRecord? {
        try locked { (connection) throws(StoreError) -> VersionRecord? in
            try VersionRepository(connection: connection).find(number)
        }
    }

    /// The newest version number, 0 when nothing was published.
    public func latestVersion() throws(StoreError) -> Int {
        try locked { (connection) throws(StoreError) -> Int in try VersionRepository(connection: connection).latest() }
    }

    /// What changed from version `other` to version `number`. Errors: `.notFound` for either.
    public func diff(_ number: Int, against other: Int) throws(StoreError) -> SnapshotDiff {
        let path = self.path
        return try locked { (connection) throws(StoreError) -> SnapshotDiff in
            let versions = VersionRepository(connection: connection)
            guard let new = try versions.find(number) else { throw .notFound("version \(number)") }
            guard let old = try versions.find(other) else { throw .notFound("version \(other)") }
            return SnapshotDiff(from: try ControlPlaneStore.snapshot(old, path), to: try ControlPlaneStore.snapshot(new, path))
        }
    }

    /// Publishes version `number`'s content again as a new version (kind `rollback`,
    /// `rolledBackFrom` = `number`) and resets the working configuration to it, in one
    /// transaction. Entities that exist in both keep their rows (a consumer's API keys stay);
    /// consumers absent from version `number` are deleted with their API keys.
    ///
    /// API keys are credentials, not configuration history: the new version carries today's keys
    /// of the consumers it has, not version `number`'s (a revoked key stays revoked; a key issued
    /// since stays valid). Its `sha256` therefore equals version `number`'s only when the keys
    /// are the same.
    ///
    /// Errors: `.notFound` (no such version).
    public func rollback(to number: Int, actor: String) throws(StoreError) -> VersionRecord {
        let path = self.path
        let time = UTCTime.now()
        let record = try locked { (connection) throws(StoreError) -> VersionRecord in
            try connection.transaction { () throws(StoreError) -> VersionRecord in
                let versions = VersionRepository(connection: connection)
                guard let source = try versions.find(number) else { throw .notFound("version \(number)") }
                try ControlPlaneStore.resetWorking(to: try ControlPlaneStore.snapshot(source, path), connection, time)
                let snapshot = try ControlPlaneStore.workingSnapshot(connection, path)
                let record = try ControlPlaneStore.appendVersion(
                    snapshot, number: try versions.latest() + 1, hash: ControlPlaneStore.contentHash(snapshot),
                    comment: "rollback to version \(number)", actor: actor, kind: .rollback, from: number, time, versions)
                try audit(connection, actor: actor, action: "rollback", kind: "versions", id: String(record.version),
                          detail: "version \(record.version) from \(number)", at: time)
                return record
            }
        }
        notifyPublished(record)
        return record
    }

    static func appendVersion(_ snapshot: Snapshot, number: Int, hash: String, comment: String, actor: String,
                              kind: VersionKind, from: Int?, _ time: UTCTime,
                              _ versions: VersionRepository) throws(StoreError) -> VersionRecord {
        var numbered = snapshot
        numbered.version = number
        let record = VersionRecord(version: number, createdAt: time, createdBy: actor, comment: comment, sha256: hash,
                                   kind: kind, rolledBackFrom: from, snapshotJSON: numbered.canonicalJSON())
        try versions.insert(record)
        return record
    }

    /// SHA-256 hex of the canonical JSON with version 0.
    static func contentHash(_ snapshot: Snapshot) -> String {
        var unnumbered = snapshot
        unnumbered.version = 0
        return SHA256Digest.hex(unnumbered.canonicalJSON())
    }

    static func snapshot(_ record: VersionRecord, _ path: String) throws(StoreError) -> Snapshot {
        do {
            return try SnapshotDecoder.decode(record.snapshotJSON)
        } catch {
            throw .corrupt(path: path, reason: "version \(record.version) cannot be decoded: \(error)")
        }
    }

    static func workingSnapshot(_ connection: SQLiteConnection, _ path: String) throws(StoreError) -> Snapshot {
        var members: [JSONValue.Member] = [.init("format", .integer(Int64(Snapshot.format))), .init("version", .integer(0))]
        let repository = EntityRepository(connection: connection)
        for kind in EntityKind.allCases {
            var entities: [JSONValue] = []
            for row in try repository.rows(kind.table) {
                entities.append(try parse(row.json, "\(kind.singular) \"\(row.key)\"", path))
            }
            members.append(.init(kind.collectionKey, .array(entities)))
        }
        let keys = try connection.sqliteQuery("SELECT id, consumer_id, key_hash FROM api_keys ORDER BY rowid") { row in
            JSONValue.object([.init("id", .string(row.string(0))), .init("consumer", .string(row.string(1))),
                              .init("sha256", .string(row.string(2)))])
        }
        members.append(.init(APIKeyConfig.collectionKey, .array(keys)))
        do {
            return try SnapshotDecoder.decode(.object(members), validate: false)
        } catch {
            throw .corrupt(path: path, reason: "working configuration cannot be decoded: \(error)")
        }
    }

    /// Makes the entity tables hold exactly `snapshot`'s entities, in its order. Referenced kinds
    /// are written before the kinds referencing them, and deleted after.
    static func resetWorking(to snapshot: Snapshot, _ connection: SQLiteConnection, _ time: UTCTime) throws(StoreError) {
        let repository = EntityRepository(connection: connection)
        var keep: [EntityKind: Set<String>] = [:]
        for kind in [EntityKind.upstreams, .tiers, .orgs, .jwtKeys, .routes, .consumers] {
            var names: Set<String> = []
            for (position, json) in DecodedEntity.entities(of: kind, in: snapshot).enumerated() {
                let entity = try decode(kind, json)
                names.insert(entity.id)
                try repository.upsert(kind.table, entity.row, position: position + 1, at: time)
            }
            keep[kind] = names
        }
        for kind in [EntityKind.routes, .consumers, .upstreams, .tiers, .orgs, .jwtKeys] {
            for row in try repository.rows(kind.table) where !(keep[kind]?.contains(row.key) ?? false) {
                _ = try repository.delete(kind.table, key: row.key)
            }
        }
    }
}
