import SluiceConfig
import SluiceHTTP
/// API keys (per consumer) and admin tokens: generated here from `SecureRandom`, returned once,
/// stored only as SHA-256 hex.
extension ControlPlaneStore {
    /// Makes a new API key for consumer `consumerID`. Errors: `.notFound` (no such consumer),
    /// `.randomUnavailable`.
    public func createAPIKey(consumerID: String, actor: String) throws(StoreError) -> CreatedAPIKey {
        guard let secret = SecureRandom.bytes(32), let idBytes = SecureRandom.bytes(8) else { throw .randomUnavailable }
        let key = "sk_" + Base64URL.encode(secret)
        let created = CreatedAPIKey(keyID: "key_" + HexEncoding.encode(idBytes), key: key, prefix: String(key.prefix(10)))
        let time = UTCTime.now()
        try locked { (connection) throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                guard try EntityRepository(connection: connection).exists(.consumers, key: consumerID) else {
                    throw .notFound("consumer \"\(consumerID)\"")
                }
                try connection.sqlite("""
                    INSERT INTO api_keys (id, consumer_id, key_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)
                    """, [.text(created.keyID), .text(consumerID), .text(SHA256Digest.hex(key)), .text(created.prefix),
                          .text(time.rfc3339)])
                try audit(connection, actor: actor, action: "create_api_key", kind: "api-keys", id: created.keyID,
                          detail: "consumer \"\(consumerID)\"", at: time)
            }
        }
        return created
    }

    /// Deletes one of a consumer's API keys. Errors: `.notFound` (no such consumer or key).
    public func deleteAPIKey(consumerID: String, keyID: String, actor: String) throws(StoreError) {
        let time = UTCTime.now()
        try locked { (connection) throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                guard try EntityRepository(connection: connection).exists(.consumers, key: consumerID) else {
                    throw .notFound("consumer \"\(consumerID)\"")
                }
                let deleted = try connection.sqlite("DELETE FROM api_keys WHERE id = ? AND consumer_id = ?",
                                                    [.text(keyID), .text(consumerID)])
                guard deleted > 0 else { throw .notFound("api key \"\(keyID)\" of consumer \"\(consumerID)\"") }
                try audit(connection, actor: actor, action: "delete_api_key", kind: "api-keys", id: keyID,
                          detail: "consumer \"\(consumerID)\"", at: time)
            }
        }
    }

    /// API keys of one consumer (nil: all consumers), oldest first; `.notFound` for a consumer
    /// that does not exist (checked in the same lock). `keyHash` is for the data plane's snapshot
    /// (issue #6); never show it in the admin API.
    public func apiKeys(consumerID: String? = nil) throws(StoreError) -> [APIKeyRecord] {
        try locked { (connection) throws(StoreError) -> [APIKeyRecord] in
            let select = "SELECT id, consumer_id, prefix, key_hash, created_at FROM api_keys"
            let map = { (row: SQLiteRow) in
                APIKeyRecord(keyID: row.string(0), consumerID: row.string(1), prefix: row.string(2), keyHash: row.string(3),
                             createdAt: UTCTime(rfc3339: row.string(4)) ?? UTCTime(secondsSince1970: 0))
            }
            if let consumerID {
                guard try EntityRepository(connection: connection).exists(.consumers, key: consumerID) else {
                    throw .notFound("consumer \"\(consumerID)\"")
                }
                return try connection.sqliteQuery(select + " WHERE consumer_id = ? ORDER BY rowid", [.text(consumerID)], map)
            }
            return try connection.sqliteQuery(select + " ORDER BY rowid", [], map)
        }
    }

    /// How many admin tokens are stored (0 on a first start: `sluice-control` then makes one).
    public func adminTokenCount() throws(StoreError) -> Int {
        try locked { (connection) throws(StoreError) -> Int in
            try connection.sqliteQueryOne("SELECT COUNT(*) FROM admin_tokens") { $0.int(0) } ?? 0
        }
    }

    /// Makes a new admin token named `name` (a label for people). The token is returned once;
    /// only its SHA-256 is stored. The audit log records it with actor `actor`.
    public func createAdminToken(name: String, actor: String = "system") throws(StoreError) -> CreatedAdminToken {
        guard let secret = SecureRandom.bytes(32), let idBytes = SecureRandom.bytes(8) else { throw .randomUnavailable }
        let created = CreatedAdminToken(id: "tok_" + HexEncoding.encode(idBytes), token: "sat_" + Base64URL.encode(secret))
        let time = UTCTime.now()
        try locked { (connection) throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                try connection.sqlite("INSERT INTO admin_tokens (id, name, hash, created_at) VALUES (?, ?, ?, ?)",
                                      [.text(created.id), .text(name), .text(SHA256Digest.hex(created.token)), .text(time.rfc3339)])
                try audit(connection, actor: actor, action: "create_admin_token", kind: "admin-tokens", id: created.id,
                          detail: name, at: time)
            }
        }
        return created
    }

    /// The id of the stored admin token equal to `token`, or nil. The token is hashed and the
    /// hash compared with every stored hash in constant time (no early exit).
    public func verifyAdminToken(_ token: String) throws(StoreError) -> String? {
        let hash = Array(SHA256Digest.hex(token).utf8)
        let rows = try locked { (connection) throws(StoreError) -> [TokenHash] in
            try connection.sqliteQuery("SELECT id, hash FROM admin_tokens") { TokenHash(id: $0.string(0), hash: $0.string(1)) }
        }
        var match: String?
        for row in rows where ConstantTime.equals(Array(row.hash.utf8), hash) {
            match = row.id
        }
        return match
    }
}
