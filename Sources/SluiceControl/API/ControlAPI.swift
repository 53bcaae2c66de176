import SluiceConfig
import SluiceHTTP

/// The API's behaviour, independent of sockets: routes a whole `APIRequest`, checks its token,
/// performs the endpoint against the store and returns the answer (or a long-poll to park).
///
/// The API (JSON, `Content-Type: application/json`, `Cache-Control: no-store`):
///
/// - Errors, every status: `{"errors": [{"pointer": "...", "message": "..."}]}` (`""` pointer for
///   request-level errors). A path with malformed percent-encoding is 400; unknown query
///   parameters are ignored. 401 adds `WWW-Authenticate: Bearer realm="sluice"`; 405 adds `Allow`.
/// - Lists (`limit` 1...1000, default 100; `offset` default 0):
///   `{"items": [...], "total": N, "limit": L, "offset": O}`.
/// - Entities: `GET|POST /v1/{upstreams,routes,tiers,consumers,jwt-keys}`,
///   `GET|PUT|DELETE /v1/<collection>/{name|id|kid}`; objects as in the snapshot format; create →
///   201 + `Location` + `ETag`, get/put → 200 + `ETag`, delete → 204; `If-Match` on PUT/DELETE → 412
///   (`*` on a missing entity too). 409 on a taken key and on deleting what is still referenced: an
///   upstream used by a route, a tier used by a consumer, the last JWT key while a route has
///   `auth: "jwt"`. Writes check each entity and its references; whole-config rules (such as a jwt
///   route needing a key, route conflicts) are checked by validate and publish (422 with pointers
///   into the snapshot, e.g. `/routes/0/auth`).
/// - `POST /v1/consumers/{id}/api-keys` → 201 `{"key_id", "consumer", "key"}` (key shown once);
///   `DELETE /v1/consumers/{id}/api-keys/{key_id}` → 204.
/// - `POST /v1/config/validate` → 200 `{"valid": true}` or 422.
/// - `POST /v1/versions` `{"comment"}` (body optional) → 201 version metadata, or 200 with the
///   latest version's metadata when nothing changed; 422 when invalid. Metadata: `{"version",
///   "sha256", "created_at", "created_by", "comment", "kind": "publish"|"rollback", "rolled_back_from"}`.
/// - `GET /v1/versions` (newest first), `GET /v1/versions/{n}` (metadata + `"snapshot"`),
///   `GET /v1/versions/{n}/diff?against=m` (`SnapshotDiff.jsonValue`),
///   `POST /v1/versions/{n}/rollback` → 201 metadata with `"rolled_back_from": n`.
/// - `GET /v1/dataplanes` → items `{"node_id", "hostname", "applied_version", "last_seen",
///   "last_error", "behind", "stale"}` (`applied_version` and `hostname` come only from status
///   reports: 0 and "" for a node seen only by its polls; a poll refreshes `last_seen`);
///   `GET /v1/audit` → items `{"id", "at", "actor", "action",
///   "entity_kind", "entity_id", "detail"}`, newest first.
/// - `GET /v1/openapi.json` (admin token), `GET /health` (no token) → `{"status": "ok"}`.
/// - `GET /metrics` (no token, like `/health`) → Prometheus text format 0.0.4, see `ControlMetrics`.
/// - Data-plane token only: `GET /v1/dataplane/snapshot?node_id=ID[&after=N][&wait=S]` → 200 with
///   the newest snapshot JSON + `X-Sluice-Version` once a version > N exists, 304 after `wait`
///   seconds (default 30, max 60, 0 = don't wait); `POST /v1/dataplane/status`
///   `{"node_id", "hostname", "applied_version", "error"}` → 204.
///
/// Thread-safety: `Sendable`; every loop's `ControlAPIHandler` calls it concurrently. The store
/// serialises its own writes. Every error becomes a response in one place (`APIResponse(storeError:)`
/// and the `APIResponseError`s thrown by the endpoints).
public final class ControlAPI: Sendable {
    public let router: APIRouter
    public let authenticator: APIAuthenticator
    public let store: ControlPlaneStore
    /// Wakes parked long polls when a version is published (by `POST /v1/versions` or a rollback).
    public let broadcaster: LongPollBroadcaster
    /// Long-poll `wait` default and upper bound, in seconds. A node not seen for more than three
    /// default waits is `stale` in `GET /v1/dataplanes`.
    public let defaultWaitSeconds: Int
    public let maximumWaitSeconds: Int
    /// Counters for `GET /metrics`.
    public let metrics: ControlMetrics

    public init(store: ControlPlaneStore, authenticator: APIAuthenticator, router: APIRouter = APIRouter(),
                broadcaster: LongPollBroadcaster = LongPollBroadcaster(),
                defaultWaitSeconds: Int = 30, maximumWaitSeconds: Int = 60, metrics: ControlMetrics = ControlMetrics()) {
        self.store = store
        self.authenticator = authenticator
        self.router = router
        self.broadcaster = broadcaster
        self.defaultWaitSeconds = defaultWaitSeconds
        self.maximumWaitSeconds = maximumWaitSeconds
        self.metrics = metrics
        // Every committed version (publish or rollback, from any thread) wakes the parked polls.
        store.addPublishListener { [broadcaster, metrics] record in
            metrics.recordVersion(record)
            broadcaster.versionPublished()
        }
    }

    /// The route template a request is counted under (`ControlMetrics`): the matched route's
    /// pattern, or `(none)`.
    static func metricsEndpoint(_ match: APIRouter.Match) -> String {
        if case .route(let route, _) = match { return route.pattern }
        return ControlMetrics.noEndpoint
    }

    /// `GET /metrics`: the counters plus the data planes seen within the stale limit (3 default waits).
    func metricsResponse() throws -> APIResponse {
        let now = UTCTime.now().secondsSince1970
        let connected = try store.dataplanes().filter { !isStale($0, now: now) }.count
        let body = metrics.render(dataplanesConnected: connected, staleAfterSeconds: staleAfterSeconds,
                                  sqlite: store.sqliteDurations.value)
        return APIResponse(status: 200, headers: [("Content-Type", PrometheusExposition.contentType.description)], body: body)
    }

    /// Routes, authenticates and performs one request.
    public func handle(_ request: APIRequest) -> APIOutcome {
        handle(request, match: router.match(method: request.method, path: request.path))
    }

    /// As `handle(_:)`, with the router's answer already at hand (the handler also needs it for
    /// the metrics' endpoint label; the route table is walked once per request).
    func handle(_ request: APIRequest, match: APIRouter.Match) -> APIOutcome {
        switch match {
        case .notFound:
            // RFC 3986 §2.1: a `%` not followed by two hex digits (or bytes that are not UTF-8) is
            // a malformed request, not a missing resource.
            if PercentDecoding.decode(request.path) == nil { return .respond(.error(400, "malformed percent-encoding in the path")) }
            return .respond(.error(404, "no such endpoint"))
        case .methodNotAllowed(let allowed):
            return .respond(.error(405, "method not allowed", headers: [("Allow", APIRouter.allowValue(allowed))]))
        case .route(let route, let parameters):
            let identity = route.access == .open ? .unknown : authenticator.identify(request)
            if let refusal = authenticator.refusal(of: identity, for: route.access) { return .respond(refusal) }
            let actor: String
            if case .admin(let name) = identity { actor = name } else { actor = "dataplane" }
            let call = APICall(request: request, parameters: parameters, actor: actor)
            do {
                return try perform(route.endpoint, call)
            } catch let error as APIResponseError {
                return .respond(error.response)
            } catch let error as StoreError {
                return .respond(APIResponse(storeError: error))
            } catch {
                return .respond(.error(500, "internal error"))
            }
        }
    }

    private func perform(_ endpoint: APIEndpoint, _ call: APICall) throws -> APIOutcome {
        switch endpoint {
        case .health:
            return .respond(.json(200, .object([.init("status", .string("ok"))])))
        case .metrics:
            return .respond(try metricsResponse())
        case .openAPI:
            return .respond(APIResponse(status: 200, body: OpenAPIDocument.bytes))
        case .listEntities(let collection): return .respond(try listEntities(collection, call))
        case .createEntity(let collection): return .respond(try createEntity(collection, call))
        case .getEntity(let collection): return .respond(try getEntity(collection, call))
        case .replaceEntity(let collection): return .respond(try replaceEntity(collection, call))
        case .deleteEntity(let collection): return .respond(try deleteEntity(collection, call))
        case .listAPIKeys: return .respond(try listAPIKeys(call))
        case .createAPIKey: return .respond(try createAPIKey(call))
        case .deleteAPIKey: return .respond(try deleteAPIKey(call))
        case .validateConfig: return .respond(try validateConfig(call))
        case .publishVersion: return .respond(try publishVersion(call))
        case .listVersions: return .respond(try listVersions(call))
        case .getVersion: return .respond(try getVersion(call))
        case .diffVersions: return .respond(try diffVersions(call))
        case .rollbackVersion: return .respond(try rollbackVersion(call))
        case .listDataplanes: return .respond(try listDataplanes(call))
        case .listAudit: return .respond(try listAudit(call))
        case .dataplaneSnapshot: return try dataplaneSnapshot(call)
        case .dataplaneStatus: return .respond(try dataplaneStatus(call))
        }
    }
}

/// One routed request: the request, its decoded path parameters and the audit actor.
struct APICall: Sendable {
    var request: APIRequest
    var parameters: [String: String]
    var actor: String

    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The body parsed as JSON; malformed JSON is a 400 with the parser's position.
    func jsonBody() throws(APIResponseError) -> JSONValue {
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw APIResponseError(.error(400, "malformed JSON: \(error.description)"))
        }
    }

    /// The body as a JSON object, or `{}` when the body is empty.
    func optionalObjectBody() throws(APIResponseError) -> JSONValue {
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([]) }
        let value = try jsonBody()
        guard case .object = value else { throw APIResponseError(.error(400, "the request body must be a JSON object")) }
        return value
    }

    /// A path parameter that must be a whole number (`{n}`); anything else is a 404 (no such version).
    func integerParameter(_ name: String) throws(APIResponseError) -> Int {
        guard let value = Int(parameter(name)), value >= 0 else {
            throw APIResponseError(.error(404, "no such version"))
        }
        return value
    }

    func page() throws(APIResponseError) -> APIPage {
        switch APIPage.from(query: request.query) {
        case .success(let page): return page
        case .failure(let error): throw error
        }
    }
}

extension OpenAPIDocument {
    /// The document's bytes, written once.
    static let bytes: [UInt8] = JSONWriter.compact(json)
}
