import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl

@Suite struct APIVersionTests {
    @Test func validateAndPublishRefuseAnInvalidWorkingConfig() throws {
        let server = try APITestServer()
        defer { server.stop() }
        #expect(try server.request("POST", "/v1/upstreams", body: APITestServer.upstream).status == 201)
        // A route to an upstream that does not exist is only caught by whole-config validation (or at write).
        let validEmpty = try server.request("POST", "/v1/config/validate")
        #expect(validEmpty.status == 200)
        #expect(validEmpty.json["valid"]?.boolValue == true)
        #expect(try server.request("POST", "/v1/versions", body: "{").status == 400)
        #expect(try server.request("POST", "/v1/versions", body: #"{"comment": 5}"#).status == 422)
        #expect(try server.request("GET", "/v1/versions").json["total"]?.integerValue == 0)
    }

    /// Writes accept a route with `auth: "jwt"` before any JWT key exists (the working config may
    /// be incomplete between writes); validate and publish refuse it with its pointer, and nothing
    /// is published. The last key cannot be deleted while such a route exists (409).
    @Test func jwtRouteWithoutKeysIs422AndTheLastKeyIsReferenced() throws {
        let server = try APITestServer()
        defer { server.stop() }
        #expect(try server.request("POST", "/v1/upstreams", body: APITestServer.upstream).status == 201)
        let route = #"{"name":"secure","path_prefix":"/secure","upstream":"users","auth":"jwt"}"#
        #expect(try server.request("POST", "/v1/routes", body: route).status == 201)
        let validate = try server.request("POST", "/v1/config/validate")
        #expect(validate.status == 422, "\(validate.bodyText)")
        #expect(validate.firstErrorPointer == "/routes/0/auth")
        let publish = try server.request("POST", "/v1/versions", body: #"{"comment":"bad"}"#)
        #expect(publish.status == 422, "\(publish.bodyText)")
        #expect(publish.firstErrorPointer == "/routes/0/auth")
        #expect(try server.request("GET", "/v1/versions").json["total"]?.integerValue == 0)
        #expect(try server.request("GET", "/v1/versions/1").status == 404)
        #expect(!server.bodyTextOfAudit().contains("publish"))

        #expect(try server.request("POST", "/v1/jwt-keys", body: APITestServer.jwtKey).status == 201)
        #expect(try server.request("POST", "/v1/config/validate").status == 200)
        let conflict = try server.request("DELETE", "/v1/jwt-keys/hs-1")
        #expect(conflict.status == 409, "\(conflict.bodyText)")
        #expect(conflict.bodyText.contains("secure"))
        #expect(!conflict.bodyText.contains("MDEyMzQ1"))
        #expect(try server.request("GET", "/v1/jwt-keys/hs-1").status == 200)
        // A second key makes the first deletable; the route still has one.
        let second = #"{"kid":"hs-2","alg":"HS256","secret":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYh"}"#
        #expect(try server.request("POST", "/v1/jwt-keys", body: second).status == 201)
        #expect(try server.request("DELETE", "/v1/jwt-keys/hs-1").status == 204)
        // Without jwt routes the last key goes.
        #expect(try server.request("DELETE", "/v1/routes/secure").status == 204)
        #expect(try server.request("DELETE", "/v1/jwt-keys/hs-2").status == 204)
        #expect(try server.request("POST", "/v1/versions").status == 201)
    }

    @Test func publishDiffRollbackHistory() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        let first = try server.request("POST", "/v1/versions", body: #"{"comment":"first"}"#)
        #expect(first.status == 201, "\(first.bodyText)")
        #expect(first.json["version"]?.integerValue == 1)
        #expect(first.json["sha256"]?.stringValue?.count == 64)
        #expect(first.json["comment"]?.stringValue == "first")
        #expect(first.json["kind"]?.stringValue == "publish")
        #expect(first.header("Location") == "/v1/versions/1")

        let unchanged = try server.request("POST", "/v1/versions", body: #"{"comment":"again"}"#)
        #expect(unchanged.status == 200)
        #expect(unchanged.json["version"]?.integerValue == 1)

        #expect(try server.request("POST", "/v1/tiers", body: APITestServer.tier).status == 201)
        let second = try server.request("POST", "/v1/versions")
        #expect(second.status == 201)
        #expect(second.json["version"]?.integerValue == 2)
        #expect(second.json["sha256"] != first.json["sha256"])

        let list = try server.request("GET", "/v1/versions")
        #expect(list.json["items"]?.arrayValue?.compactMap { $0["version"]?.integerValue } == [2, 1])

        let shown = try server.request("GET", "/v1/versions/1")
        #expect(shown.status == 200)
        #expect(shown.json["snapshot"]?["upstreams"]?.arrayValue?.count == 1)
        #expect(shown.json["snapshot"]?["version"]?.integerValue == 1)
        #expect(try server.request("GET", "/v1/versions/99").status == 404)
        #expect(try server.request("GET", "/v1/versions/abc").status == 404)

        let diff = try server.request("GET", "/v1/versions/2/diff?against=1")
        #expect(diff.status == 200, "\(diff.bodyText)")
        #expect(diff.bodyText.contains("free"))
        #expect(try server.request("GET", "/v1/versions/2/diff").status == 400)
        #expect(try server.request("GET", "/v1/versions/2/diff?against=77").status == 404)

        let rollback = try server.request("POST", "/v1/versions/1/rollback")
        #expect(rollback.status == 201, "\(rollback.bodyText)")
        #expect(rollback.json["version"]?.integerValue == 3)
        #expect(rollback.json["rolled_back_from"]?.integerValue == 1)
        #expect(rollback.json["kind"]?.stringValue == "rollback")
        #expect(rollback.json["sha256"] == first.json["sha256"])
        #expect(try server.request("POST", "/v1/versions/42/rollback").status == 404)
        // The working config was reset to version 1's: the tier is gone.
        #expect(try server.request("GET", "/v1/tiers/free").status == 404)
        let history = try server.request("GET", "/v1/versions?limit=10")
        #expect(history.json["items"]?.arrayValue?.compactMap { $0["version"]?.integerValue } == [3, 2, 1])

        let audit = try server.request("GET", "/v1/audit")
        #expect(audit.status == 200)
        #expect((audit.json["total"]?.integerValue ?? 0) >= 5)
        #expect(audit.bodyText.contains("env:SLUICE_ADMIN_TOKEN"))
        #expect(!audit.bodyText.contains(APITestServer.adminToken))
    }
}

extension APITestServer {
    /// `GET /v1/audit?limit=1000`'s body text.
    func bodyTextOfAudit() -> String {
        (try? request("GET", "/v1/audit?limit=1000").bodyText) ?? ""
    }
}
