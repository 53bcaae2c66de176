import SluiceConfig
import SluiceHTTP

/// The working configuration's entities: `/v1/upstreams`, `/v1/routes`, `/v1/tiers`,
/// `/v1/orgs`, `/v1/consumers`, `/v1/jwt-keys`.
extension ControlPlaneStore {
    /// Entities of `kind` in working-configuration order (creation order), `limit` from `offset`,
    /// and the total count.
    public func list(_ kind: EntityKind, limit: Int, offset: Int) throws(StoreError) -> EntityPage {
        let path = self.path
        return try locked { (connection) throws(StoreError) -> EntityPage in
            let repository = EntityRepository(connection: connection)
            let rows = try repository.rows(kind.table, limit: max(0, limit), offset: max(0, offset))
            var items: [StoredEntity] = []
            items.reserveCapacity(rows.count)
            for row in rows { items.append(try ControlPlaneStore.stored(row, kind, path)) }
            return EntityPage(items: items, total: try repository.count(kind.table))
        }
    }

    /// The entity of `kind` named `id`, or nil.
    public func get(_ kind: EntityKind, _ id: String) throws(StoreError) -> StoredEntity? {
        let path = self.path
        return try locked { (connection) throws(StoreError) -> StoredEntity? in
            guard let row = try EntityRepository(connection: connection).row(kind.table, key: id) else { return nil }
            return try ControlPlaneStore.stored(row, kind, path)
        }
    }

    /// Adds an entity (decoded and checked by its kind's rules, stored as canonical JSON).
    ///
    /// Errors: `.invalid` (problems at pointers relative to the entity, such as `/targets/0/url`;
    /// a route naming an unknown upstream at `/upstream`, a consumer naming an unknown tier at
    /// `/tier`), `.conflict` (the name/id/kid is taken).
    public func create(_ kind: EntityKind, json: JSONValue, actor: String) throws(StoreError) -> StoredEntity {
        let time = UTCTime.now()
        return try locked { (connection) throws(StoreError) -> StoredEntity in
            try connection.transaction { () throws(StoreError) -> StoredEntity in
                let repository = EntityRepository(connection: connection)
                let entity = try ControlPlaneStore.checked(kind, json, key: nil, repository)
                guard try !repository.exists(kind.table, key: entity.id) else {
                    throw .conflict("\(kind.singular) \"\(entity.id)\" already exists")
                }
                try repository.insert(kind.table, entity.row, at: time)
                try audit(connection, actor: actor, action: "create", kind: kind.pathName, id: entity.id, at: time)
                return ControlPlaneStore.stored(entity)
            }
        }
    }

    /// Replaces the entity `id` with `json`, whose name/id/kid must be `id`.
    ///
    /// `ifMatch` is the `If-Match` header value (nil when absent): `*` or a comma-separated list
    /// of quoted ETags; the write happens only if one equals the current ETag (strong
    /// comparison). The check and the write are one transaction, so of two writers holding the
    /// same ETag exactly one succeeds.
    ///
    /// Errors: `.invalid` (as `create`, plus a different key at `/name`, `/id` or `/kid`),
    /// `.notFound`, `.preconditionFailed` (ETag mismatch, or `ifMatch` given and no entity).
    public func replace(_ kind: EntityKind, _ id: String, json: JSONValue, ifMatch: String?,
                        actor: String) throws(StoreError) -> StoredEntity {
        let time = UTCTime.now()
        return try locked { (connection) throws(StoreError) -> StoredEntity in
            try connection.transaction { () throws(StoreError) -> StoredEntity in
                let repository = EntityRepository(connection: connection)
                let entity = try ControlPlaneStore.checked(kind, json, key: id, repository)
                try ControlPlaneStore.checkPrecondition(kind, id, ifMatch, try repository.row(kind.table, key: id))
                _ = try repository.update(kind.table, entity.row, at: time)
                try audit(connection, actor: actor, action: "replace", kind: kind.pathName, id: id, at: time)
                return ControlPlaneStore.stored(entity)
            }
        }
    }

    /// Deletes the entity `id` (a consumer's API keys go with it).
    ///
    /// Errors: `.notFound`, `.preconditionFailed` (as `replace`), `.conflict` when still
    /// referenced: `upstream "users" is used by route "users-api"`, `tier "gold" is used by
    /// consumer "acme"`, or the last JWT key while a route has `auth: "jwt"`.
    public func delete(_ kind: EntityKind, _ id: String, ifMatch: String?, actor: String) throws(StoreError) {
        let time = UTCTime.now()
        try locked { (connection) throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                let repository = EntityRepository(connection: connection)
                try ControlPlaneStore.checkPrecondition(kind, id, ifMatch, try repository.row(kind.table, key: id))
                let referencing: (EntityKind, EntityTable)? = switch kind {
                case .upstreams: (.routes, .routes)
                case .tiers: (.consumers, .consumers)
                default: nil
                }
                if let (referencingKind, table) = referencing {
                    let users = try repository.keys(table, referencing: id, limit: 4)
                    if !users.isEmpty {
                        let names = users.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
                        let more = users.count > 3 ? " and more" : ""
                        throw .conflict("\(kind.singular) \"\(id)\" is used by \(referencingKind.singular) \(names)\(more)")
                    }
                }
                if kind == .jwtKeys, try repository.count(.jwtKeys) == 1 {
                    let routes = try ControlPlaneStore.jwtRoutes(repository, limit: 4)
                    if !routes.isEmpty {
                        let names = routes.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
                        let more = routes.count > 3 ? " and more" : ""
                        throw .conflict("\(kind.singular) \"\(id)\" is the last one and is needed by auth \"jwt\" route \(names)\(more)")
                    }
                }
                _ = try repository.delete(kind.table, key: id)
                try audit(connection, actor: actor, action: "delete", kind: kind.pathName, id: id, at: time)
            }
        }
    }

    /// Names of routes (position order, at most `limit`) with `auth: "jwt"`, which need at least one
    /// JWT key. Linear in the number of routes; only run when the last key is being deleted.
    static func jwtRoutes(_ repository: EntityRepository, limit: Int) throws(StoreError) -> [String] {
        var names: [String] = []
        for row in try repository.rows(.routes) where names.count < limit {
            if case .string("jwt")? = (try? JSONParser.parse(row.json))?["auth"] { names.append(row.key) }
        }
        return names
    }

    /// Decodes `json` by its kind's rules and checks what needs the working configuration: a
    /// route's upstream and a consumer's tier must exist, and (for `replace`) the body's
    /// name/id/kid must be `key`. Every problem is reported at once: a body with a bad field AND
    /// an unknown upstream gets both, so a client fixes them in one round.
    static func checked(_ kind: EntityKind, _ json: JSONValue, key: String?,
                        _ repository: EntityRepository) throws(StoreError) -> DecodedEntity {
        var problems: [ConfigProblem] = []
        var entity: DecodedEntity? = nil
        do {
            entity = try DecodedEntity(kind, json)
        } catch {
            problems = error.problems
        }
        if let key, let id = entity?.id, id != key {
            problems.append(ConfigProblem(pointer: "/\(kind.keyName)",
                                          message: "\(kind.keyName) \"\(id)\" does not match \"\(key)\" in the URL"))
        }
        if let (field, target) = referenceField(kind) {
            // From the decoded entity, or (when decoding failed elsewhere) from the raw field.
            var reference = entity?.reference
            if entity == nil, case .string(let raw)? = json[field] { reference = raw }
            if let reference, try !repository.exists(target.table, key: reference),
               !problems.contains(where: { $0.pointer == "/\(field)" }) {
                problems.append(ConfigProblem(pointer: "/\(field)", message: "unknown \(target.singular) \"\(reference)\""))
            }
        }
        guard problems.isEmpty, let entity else { throw .invalid(problems) }
        return entity
    }

    /// Decodes `json` by its kind's rules alone (for snapshots already validated as a whole).
    static func decode(_ kind: EntityKind, _ json: JSONValue) throws(StoreError) -> DecodedEntity {
        do {
            return try DecodedEntity(kind, json)
        } catch {
            throw .invalid(error.problems)
        }
    }

    /// The field naming another entity that must exist: a route's upstream, a consumer's tier.
    static func referenceField(_ kind: EntityKind) -> (field: String, target: EntityKind)? {
        switch kind {
        case .routes: return ("upstream", .upstreams)
        case .consumers: return ("tier", .tiers)
        default: return nil
        }
    }

    /// Applies `If-Match` (RFC 9110 §13.1.1) to the current row.
    static func checkPrecondition(_ kind: EntityKind, _ id: String, _ ifMatch: String?, _ row: EntityRow?) throws(StoreError) {
        guard let row else {
            if ifMatch != nil { throw .preconditionFailed("\(kind.singular) \"\(id)\" does not exist") }
            throw .notFound("\(kind.singular) \"\(id)\"")
        }
        guard let ifMatch else { return }
        let current = etag(row.json)
        let tags = ifMatch.split(separator: ",").map { $0.trimmingCharacters() }
        guard tags.contains("*") || tags.contains(current) else {
            throw .preconditionFailed("\(kind.singular) \"\(id)\" has changed (ETag \(current))")
        }
    }

    /// `"<sha256 hex of the canonical JSON text>"`.
    static func etag(_ jsonText: String) -> String {
        "\"" + SHA256Digest.hex(jsonText) + "\""
    }

    static func stored(_ entity: DecodedEntity) -> StoredEntity {
        StoredEntity(id: entity.id, json: entity.canonical, etag: etag(entity.jsonText))
    }

    static func stored(_ row: EntityRow, _ kind: EntityKind, _ path: String) throws(StoreError) -> StoredEntity {
        StoredEntity(id: row.key, json: try parse(row.json, "\(kind.singular) \"\(row.key)\"", path), etag: etag(row.json))
    }

    static func parse(_ text: String, _ what: String, _ path: String) throws(StoreError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .corrupt(path: path, reason: "stored JSON of \(what) is unreadable: \(error)")
        }
    }
}
