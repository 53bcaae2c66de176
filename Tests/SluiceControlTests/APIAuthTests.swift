import SluiceHTTP
import SluiceTestSupport
import Testing
@testable import SluiceControl

/// 401/403 for every route of the table, by its token class, over the real server.
@Suite struct APIAuthTests {
    /// A concrete path for a route pattern (`{…}` → `x1`).
    static func samplePath(_ pattern: String) -> String {
        "/" + pattern.split(separator: "/").map { $0.hasPrefix("{") ? "x1" : String($0) }.joined(separator: "/")
    }

    @Test func everyRouteRefusesMissingAndWrongClassTokens() throws {
        let server = try APITestServer()
        defer { server.stop() }
        for route in APIRouter.table where route.access != .open {
            let path = Self.samplePath(route.pattern) + (route.endpoint == .dataplaneSnapshot ? "?node_id=n1&wait=0" : "")
            let method = route.method.name
            let missing = try server.request(method, path, token: nil)
            #expect(missing.status == 401, "\(method) \(path) without token")
            #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let unknown = try server.request(method, path, token: "not-a-token")
            #expect(unknown.status == 401, "\(method) \(path) unknown token")
            #expect(!unknown.bodyText.contains("not-a-token"))
            let otherClass = route.access == .admin ? APITestServer.dataplaneToken : APITestServer.adminToken
            let wrong = try server.request(method, path, token: otherClass)
            #expect(wrong.status == 403, "\(method) \(path) other class")
            #expect(!wrong.bodyText.contains(otherClass))
            let right = route.access == .admin ? APITestServer.adminToken : APITestServer.dataplaneToken
            let allowed = try server.request(method, path, token: right)
            #expect(allowed.status != 401 && allowed.status != 403, "\(method) \(path) right token: \(allowed.status)")
        }
    }

    @Test func healthNeedsNoToken() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let health = try server.request("GET", "/health", token: nil)
        #expect(health.status == 200)
        #expect(health.json["status"]?.stringValue == "ok")
    }

    @Test func storedAdminTokensWork() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let created = try server.store.createAdminToken(name: "ci")
        #expect(try server.request("GET", "/v1/versions", token: created.token).status == 200)
        #expect(try server.request("GET", "/v1/dataplane/snapshot?node_id=n&wait=0", token: created.token).status == 403)
    }

    @Test func unknownPathsAndMethods() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let unknown = try server.request("GET", "/v1/nothing", token: nil)
        #expect(unknown.status == 404)
        #expect(unknown.firstErrorPointer == "")
        let wrongMethod = try server.request("PATCH", "/v1/versions")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, POST, HEAD")
    }

    @Test func oversizedBodyIs413() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let client = try TestTCPClient(port: server.port)
        defer { client.close() }
        try client.send("POST /v1/upstreams HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer \(APITestServer.adminToken)\r\n"
                        + "Content-Length: \(ControlAPIHandler.maxBodyBytes + 1)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.json["errors"]?.arrayValue?.count == 1)
    }

    @Test func openAPIDocumentIsServed() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let document = try server.request("GET", "/v1/openapi.json")
        #expect(document.status == 200)
        #expect(document.json["openapi"]?.stringValue == "3.1.0")
        #expect(document.json["paths"]?["/v1/dataplane/snapshot"] != nil)
    }
}
