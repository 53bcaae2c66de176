import SluiceConfig
import SluiceHTTP

/// The API's behaviour, independent of sockets: routes a whole `APIRequest`, checks its token,
/// performs the endpoint against the store and returns the answer (or a long-poll to park).
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

    public init(store: ControlPlaneStore, authenticator: APIAuthenticator, router: APIRouter = APIRouter(),
                broadcaster: LongPollBroadcaster = LongPollBroadcaster(),
                defaultWaitSeconds: Int = 30, maximumWaitSeconds: Int = 60) {
        self.store = store
        self.authenticator = authenticator
        self.router = router
        self.broadcaster = broadcaster
        self.defaultWaitSeconds = defaultWaitSeconds
        self.maximumWaitSeconds = maximumWaitSeconds
        // Every committed version (publish or rollback, from any thread) wakes the parked polls.
        store.addPublishListener { [broadcaster] _ in broadcaster.versionPublished() }
    }

    /// Routes, authenticates and performs one request.
    public func handle(_ request: APIRequest) -> APIOutcome {
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
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
        case .openAPI:
            return .respond(APIResponse(status: 200, body: OpenAPIDocument.bytes))
        case .listEntities(let collection): return .respond(try listEntities(collection, call))
        case .createEntity(let collection): return .respond(try createEntity(collection, call))
        case .getEntity(let collection): return .respond(try getEntity(collection, call))
        case .replaceEntity(let collection): return .respond(try replaceEntity(collection, call))
        case .deleteEntity(let collection): return .respond(try deleteEntity(collection, call))
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
