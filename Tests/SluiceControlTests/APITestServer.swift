import Foundation
import SluiceConfig
import SluiceControl
import SluiceHTTP
import SluiceTestSupport

/// An in-process control plane for tests: a store on a temp SQLite file, the real API server on
/// loopback port 0 with two loops, and fixed tokens. `stop()` in `defer`.
final class APITestServer {
    static let adminToken = "test-admin-token-0123456789abcdef"
    static let dataplaneToken = "test-dataplane-token-fedcba9876543210"

    let directory: TemporaryDirectory
    let store: ControlPlaneStore
    let api: ControlAPI
    let server: HTTPServer
    let port: UInt16

    init(workers: Int = 2, defaultWaitSeconds: Int = 30) throws {
        directory = try TemporaryDirectory(prefix: "sluice-control-api")
        store = try ControlPlaneStore(path: directory.file("control.db"))
        let store = store
        let authenticator = APIAuthenticator(
            configuredAdminToken: (Self.adminToken, "env:SLUICE_ADMIN_TOKEN"), dataplaneToken: Self.dataplaneToken,
            storedAdminToken: { token in (try? store.verifyAdminToken(token)) ?? nil })
        api = ControlAPI(store: store, authenticator: authenticator, defaultWaitSeconds: defaultWaitSeconds)
        var configuration = HTTPServer.Configuration(listenAddress: .loopbackIPv4(port: 0))
        configuration.workers = workers
        configuration.drainDeadline = .milliseconds(200)
        let api = api
        server = try HTTPServer(configuration: configuration) { loop in ControlAPIHandler(loop: loop, api: api) }
        port = try server.start()
    }

    func stop() {
        server.shutdown()
        server.wait()
        directory.remove()
    }

    /// Sends one request on a fresh connection (`Connection: close`) and reads the response.
    func request(_ method: String, _ target: String, token: String? = APITestServer.adminToken, body: String? = nil,
                 headers: [(String, String)] = [], timeoutSeconds: Int = 5) throws -> TestHTTPResponse {
        try Self.request(port: port, method, target, token: token, body: body, headers: headers, timeoutSeconds: timeoutSeconds)
    }

    static func request(port: UInt16, _ method: String, _ target: String, token: String? = APITestServer.adminToken,
                        body: String? = nil, headers: [(String, String)] = [], timeoutSeconds: Int = 5) throws -> TestHTTPResponse {
        let client = try TestTCPClient(port: port, timeoutSeconds: timeoutSeconds)
        defer { client.close() }
        try client.send(Self.requestText(method, target, token: token, body: body, headers: headers))
        return try client.readResponse(bodyless: method == "HEAD")
    }

    static func requestText(_ method: String, _ target: String, token: String?, body: String?,
                            headers: [(String, String)] = [], close: Bool = true) -> String {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: control\r\n"
        if close { text += "Connection: close\r\n" }
        if let token { text += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else if method == "POST" || method == "PUT" {
            text += "Content-Length: 0\r\n\r\n"
        } else {
            text += "\r\n"
        }
        return text
    }

    // MARK: Fixtures (snapshot-format entities)

    static let upstream = #"{"name":"users","targets":[{"url":"http://127.0.0.1:9001"}]}"#
    static let route = #"{"name":"users-api","path_prefix":"/api/users","upstream":"users"}"#
    static let tier = #"{"name":"free","requests_per_second":5,"burst":10}"#
    static let consumer = #"{"id":"user-42","tier":"free"}"#
    static let jwtKey = #"{"kid":"hs-1","alg":"HS256","secret":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYh"}"#

    /// Creates `users` upstream + `users-api` route (a publishable configuration).
    func seedMinimalConfig() throws {
        for (path, body) in [("/v1/upstreams", Self.upstream), ("/v1/routes", Self.route)] {
            let response = try request("POST", path, body: body)
            guard response.status == 201 else { throw TestClientError("seed \(path): \(response.status) \(response.bodyText)") }
        }
    }
}

extension TestHTTPResponse {
    /// The body parsed as JSON (`.null` if it is not JSON).
    var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }

    /// `errors[0].pointer` of an error body.
    var firstErrorPointer: String? {
        guard case .array(let errors)? = json["errors"], case .string(let pointer)? = errors.first?["pointer"] else { return nil }
        return pointer
    }
}

extension JSONValue {
    var integerValue: Int64? { if case .integer(let value) = self { value } else { nil } }
    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
}
