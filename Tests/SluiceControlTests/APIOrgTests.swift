import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl

/// `/v1/orgs` and the policy collections in validate, publish and diff.
@Suite struct APIOrgTests {
    static let org = #"{"id":"acme","requests_per_second":100,"burst":200,"requests_per_day":100000}"#

    @Test func orgsCRUDOverHTTP() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let created = try server.request("POST", "/v1/orgs", body: Self.org)
        #expect(created.status == 201, "\(created.bodyText)")
        #expect(created.header("Location") == "/v1/orgs/acme")
        let etag = try #require(created.header("ETag"))
        #expect(try server.request("POST", "/v1/orgs", body: Self.org).status == 409)

        let fetched = try server.request("GET", "/v1/orgs/acme")
        #expect(fetched.status == 200 && fetched.header("ETag") == etag)
        #expect(fetched.json["requests_per_day"]?.integerValue == 100_000)

        let invalid = try server.request("PUT", "/v1/orgs/acme", body: #"{"id":"acme","burst":5}"#, headers: [("If-Match", etag)])
        #expect(invalid.status == 422)
        #expect(invalid.json["errors"]?.arrayValue?.compactMap { $0["pointer"]?.stringValue } == ["", "/burst"])
        #expect(try server.request("GET", "/v1/orgs/acme").header("ETag") == etag)

        let replaced = try server.request("PUT", "/v1/orgs/acme", body: #"{"id":"acme","requests_per_minute":10}"#,
                                          headers: [("If-Match", etag)])
        #expect(replaced.status == 200)
        #expect(try server.request("PUT", "/v1/orgs/acme", body: Self.org, headers: [("If-Match", etag)]).status == 412)
        #expect(try server.request("GET", "/v1/orgs").json["total"]?.integerValue == 1)
        #expect(try server.request("POST", "/v1/orgs", body: "{").status == 400)
        #expect(try server.request("DELETE", "/v1/orgs/acme").status == 204)
        #expect(try server.request("GET", "/v1/orgs/acme").status == 404)
        #expect(try server.request("GET", "/v1/orgs", token: nil).status == 401)
    }

    @Test func publishedVersionsCarryOrgsAndAPIKeys() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/versions", body: #"{"comment":"one"}"#).status == 201)
        for (path, body) in [("/v1/tiers", APITestServer.tier), ("/v1/consumers", APITestServer.consumer), ("/v1/orgs", Self.org)] {
            #expect(try server.request("POST", path, body: body).status == 201)
        }
        let issued = try server.request("POST", "/v1/consumers/user-42/api-keys")
        #expect(issued.status == 201)
        let keyID = try #require(issued.json["key_id"]?.stringValue)
        #expect(try server.request("POST", "/v1/config/validate").status == 200)
        let second = try server.request("POST", "/v1/versions", body: #"{"comment":"two"}"#)
        #expect(second.status == 201)
        let version = try server.request("GET", "/v1/versions/2")
        let snapshot = try SnapshotDecoder.decode(try #require(version.json["snapshot"]), validate: true)
        #expect(snapshot.orgs.map(\.id) == ["acme"])
        #expect(snapshot.apiKeys.map(\.id) == [keyID] && snapshot.apiKeys.map(\.consumer) == ["user-42"])
        #expect(!version.bodyText.contains(issued.json["key"]?.stringValue ?? "missing"))

        let diff = try server.request("GET", "/v1/versions/2/diff?against=1")
        #expect(diff.status == 200)
        #expect(diff.json["orgs"]?["added"] == .array([.string("acme")]))
        #expect(diff.json["api_keys"]?["added"] == .array([.string(keyID)]))
    }
}
