import SluiceHTTP
/// Data-plane status reports and the audit log.
extension ControlPlaneStore {
    /// Records (or replaces) node `nodeID`'s report: `POST /v1/dataplane/status`. Not audited.
    public func recordDataplaneStatus(nodeID: String, hostname: String, appliedVersion: Int, error: String?,
                                      at time: UTCTime = .now()) throws(StoreError) {
        try locked { (connection) throws(StoreError) in
            try connection.sqlite("""
                INSERT INTO dataplanes (node_id, hostname, applied_version, last_seen, last_error) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(node_id) DO UPDATE SET hostname = excluded.hostname, applied_version = excluded.applied_version,
                    last_seen = excluded.last_seen, last_error = excluded.last_error
                """, [.text(nodeID), .text(hostname), .integer(Int64(appliedVersion)), .text(time.rfc3339), .optional(error)])
        }
    }

    /// Refreshes node `nodeID`'s `last_seen` (a long poll): keeps what its last status report said.
    /// A node first seen by its poll is recorded with an empty hostname, `applied_version` 0 (none
    /// reported yet) and no error: the applied version comes only from status reports. Not audited.
    public func touchDataplane(nodeID: String, at time: UTCTime = .now()) throws(StoreError) {
        try locked { (connection) throws(StoreError) in
            try connection.sqlite("""
                INSERT INTO dataplanes (node_id, hostname, applied_version, last_seen, last_error) VALUES (?, '', 0, ?, NULL)
                ON CONFLICT(node_id) DO UPDATE SET last_seen = excluded.last_seen
                """, [.text(nodeID), .text(time.rfc3339)])
        }
    }

    /// Every node that reported, by node id.
    public func dataplanes() throws(StoreError) -> [DataplaneRecord] {
        try locked { (connection) throws(StoreError) -> [DataplaneRecord] in
            try connection.sqliteQuery("""
                SELECT node_id, hostname, applied_version, last_seen, last_error FROM dataplanes ORDER BY node_id
                """) {
                DataplaneRecord(nodeID: $0.string(0), hostname: $0.string(1), appliedVersion: $0.int(2),
                                lastSeen: UTCTime(rfc3339: $0.string(3)) ?? UTCTime(secondsSince1970: 0),
                                lastError: $0.optionalString(4))
            }
        }
    }

    /// How many audit records there are (the `total` of `GET /v1/audit`).
    public func auditCount() throws(StoreError) -> Int {
        try locked { (connection) throws(StoreError) -> Int in
            try connection.sqliteQueryOne("SELECT COUNT(*) FROM audit_log") { $0.int(0) } ?? 0
        }
    }

    /// Audit records newest first, `limit` from `offset`.
    public func audit(limit: Int, offset: Int) throws(StoreError) -> [AuditRecord] {
        try locked { (connection) throws(StoreError) -> [AuditRecord] in
            try connection.sqliteQuery("""
                SELECT id, at, token_id, action, entity_kind, entity_id, detail FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?
                """, [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))]) {
                AuditRecord(id: $0.int(0), at: UTCTime(rfc3339: $0.string(1)) ?? UTCTime(secondsSince1970: 0),
                            tokenID: $0.string(2), action: $0.string(3), entityKind: $0.string(4),
                            entityID: $0.string(5), detail: $0.string(6))
            }
        }
    }
}
