import SluiceConfig
import SluiceHTTP

/// `GET /v1/dataplanes`, `GET /v1/audit` and the data-plane endpoints.
extension ControlAPI {
    func listDataplanes(_ call: APICall) throws -> APIResponse {
        let page = try call.page()
        let latest = try store.latestVersion()
        let now = UTCTime.now().secondsSince1970
        let nodes = try store.dataplanes().map { node -> JSONValue in
            .object([
                .init("node_id", .string(node.nodeID)),
                .init("hostname", .string(node.hostname)),
                .init("applied_version", .integer(Int64(node.appliedVersion))),
                .init("last_seen", .string(node.lastSeen.rfc3339)),
                .init("last_error", node.lastError.map { .string($0) } ?? .null),
                .init("behind", .bool(node.appliedVersion < latest)),
                .init("stale", .bool(isStale(node, now: now))),
            ])
        }
        return .json(200, page.wrap(all: nodes))
    }

    /// A data plane not heard from for three default long-poll waits: `stale` in the list, not
    /// counted as connected in `/metrics`.
    var staleAfterSeconds: Int { 3 * defaultWaitSeconds }

    func isStale(_ node: DataplaneRecord, now: Int64) -> Bool {
        now - node.lastSeen.secondsSince1970 > Int64(staleAfterSeconds)
    }

    func listAudit(_ call: APICall) throws -> APIResponse {
        let page = try call.page()
        let records = try store.audit(limit: page.limit, offset: page.offset)
        let total = try store.auditCount()
        return .json(200, page.wrap(records.map(Self.auditJSON), total: total))
    }

    /// `GET /v1/dataplane/snapshot?after=N&node_id=ID[&wait=S]`: the newest snapshot now if it is
    /// newer than `after`, else a long poll of `wait` seconds (default 30, at most 60).
    func dataplaneSnapshot(_ call: APICall) throws -> APIOutcome {
        let query = call.request.query
        guard let nodeID = query["node_id"], !nodeID.isEmpty else {
            throw APIResponseError(.error(400, "query parameter node_id is required"))
        }
        var after = 0
        if let text = query["after"] {
            guard let value = Int(text), value >= 0 else {
                throw APIResponseError(.error(400, "query parameter after must be a whole number of at least 0"))
            }
            after = value
        }
        var wait = defaultWaitSeconds
        if let text = query["wait"] {
            guard let value = Int(text), value >= 0, value <= maximumWaitSeconds else {
                throw APIResponseError(.error(400, "query parameter wait must be a whole number of seconds from 0 to \(maximumWaitSeconds)"))
            }
            wait = value
        }
        try store.touchDataplane(nodeID: nodeID)
        if let response = snapshotResponse(after: after) { return .respond(response) }
        if wait == 0 { return .respond(APIResponse(status: 304)) }
        return .longPoll(after: after, waitNanoseconds: UInt64(wait) * 1_000_000_000)
    }

    /// `{"id", "at", "actor", "action", "entity_kind", "entity_id", "detail"}`; `actor` is a token
    /// id or the configured token's source, never a token.
    static func auditJSON(_ record: AuditRecord) -> JSONValue {
        .object([
            .init("id", .integer(Int64(record.id))),
            .init("at", .string(record.at.rfc3339)),
            .init("actor", .string(record.tokenID)),
            .init("action", .string(record.action)),
            .init("entity_kind", .string(record.entityKind)),
            .init("entity_id", .string(record.entityID)),
            .init("detail", .string(record.detail)),
        ])
    }

    /// 200 with the newest version's snapshot and `X-Sluice-Version` if it is newer than `after`.
    public func snapshotResponse(after: Int) -> APIResponse? {
        guard let latest = try? store.latestVersion(), latest > after,
              let version = (try? store.version(latest)) ?? nil else { return nil }
        return APIResponse(status: 200, headers: [("X-Sluice-Version", String(version.version))], body: version.snapshotJSON)
    }

    /// `POST /v1/dataplane/status` `{node_id, hostname, applied_version, error}` → 204.
    func dataplaneStatus(_ call: APICall) throws -> APIResponse {
        let body = try call.jsonBody()
        guard case .object = body else { throw APIResponseError(.error(400, "the request body must be a JSON object")) }
        var problems: [ConfigProblem] = []
        var nodeID = ""
        switch body["node_id"] {
        case .string(let text) where !text.isEmpty: nodeID = text
        default: problems.append(ConfigProblem(pointer: "/node_id", message: "expected a non-empty string"))
        }
        var hostname = ""
        switch body["hostname"] {
        case nil, .null: break
        case .string(let text): hostname = text
        default: problems.append(ConfigProblem(pointer: "/hostname", message: "expected a string"))
        }
        var applied = 0
        switch body["applied_version"] {
        case nil, .null: break
        case .integer(let value) where value >= 0 && value <= Int64(Int32.max): applied = Int(value)
        default: problems.append(ConfigProblem(pointer: "/applied_version", message: "expected a whole number of at least 0"))
        }
        var error: String?
        switch body["error"] {
        case nil, .null: break
        case .string(let text): error = text.isEmpty ? nil : text
        default: problems.append(ConfigProblem(pointer: "/error", message: "expected a string or null"))
        }
        guard problems.isEmpty else { throw APIResponseError(.problems(422, problems)) }
        try store.recordDataplaneStatus(nodeID: nodeID, hostname: hostname, appliedVersion: applied, error: error)
        return .noContent
    }
}
