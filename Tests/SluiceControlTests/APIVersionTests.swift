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
