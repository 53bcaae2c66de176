import Foundation
import Synchronization
import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl

@Suite struct APIEntityTests {
    @Test func createGetListReplaceDelete() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let created = try server.request("POST", "/v1/upstreams", body: APITestServer.upstream)
        #expect(created.status == 201)
        #expect(created.header("Location") == "/v1/upstreams/users")
        #expect(created.header("Content-Type") == "application/json")
        let etag = try #require(created.header("ETag"))
        #expect(etag.hasPrefix("\""))
        #expect(created.json["name"]?.stringValue == "users")

        let fetched = try server.request("GET", "/v1/upstreams/users")
        #expect(fetched.status == 200)
        #expect(fetched.header("ETag") == etag)
        #expect(fetched.json["targets"]?.arrayValue?.count == 1)

        let replaced = try server.request("PUT", "/v1/upstreams/users",
                                          body: #"{"name":"users","targets":[{"url":"http://127.0.0.1:9002"},{"url":"http://127.0.0.1:9003"}]}"#,
                                          headers: [("If-Match", etag)])
        #expect(replaced.status == 200)
        #expect(replaced.header("ETag") != etag)
        #expect(replaced.json["targets"]?.arrayValue?.count == 2)

        let list = try server.request("GET", "/v1/upstreams")
        #expect(list.status == 200)
        #expect(list.json["total"]?.integerValue == 1)
        #expect(list.json["limit"]?.integerValue == 100)
        #expect(list.json["offset"]?.integerValue == 0)
        #expect(list.json["items"]?.arrayValue?.count == 1)

        let deleted = try server.request("DELETE", "/v1/upstreams/users")
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(try server.request("GET", "/v1/upstreams/users").status == 404)
        #expect(try server.request("DELETE", "/v1/upstreams/users").status == 404)
        #expect(try server.request("PUT", "/v1/upstreams/users", body: APITestServer.upstream).status == 404)
    }

    @Test func everyCollectionRoundTrips() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let fixtures: [(String, String, String)] = [
            ("upstreams", "users", APITestServer.upstream), ("routes", "users-api", APITestServer.route),
            ("tiers", "free", APITestServer.tier), ("consumers", "user-42", APITestServer.consumer),
            ("jwt-keys", "hs-1", APITestServer.jwtKey),
        ]
        for (collection, key, body) in fixtures {
            let created = try server.request("POST", "/v1/\(collection)", body: body)
            #expect(created.status == 201, "\(collection): \(created.bodyText)")
            #expect(created.header("Location") == "/v1/\(collection)/\(key)")
            #expect(try server.request("GET", "/v1/\(collection)/\(key)").status == 200)
            #expect(try server.request("GET", "/v1/\(collection)").json["total"]?.integerValue == 1)
        }
    }

    @Test func paginationPagesThroughTiers() throws {
        let server = try APITestServer()
        defer { server.stop() }
        for index in 0..<5 {
            let status = try server.request("POST", "/v1/tiers", body: #"{"name":"t\#(index)","requests_per_second":1}"#).status
            #expect(status == 201)
        }
        let page = try server.request("GET", "/v1/tiers?limit=2&offset=3")
        #expect(page.status == 200)
        #expect(page.json["total"]?.integerValue == 5)
        #expect(page.json["limit"]?.integerValue == 2)
        #expect(page.json["offset"]?.integerValue == 3)
        #expect(page.json["items"]?.arrayValue?.count == 2)
        #expect(try server.request("GET", "/v1/tiers?offset=10").json["items"]?.arrayValue?.count == 0)
        #expect(try server.request("GET", "/v1/tiers?limit=0").status == 400)
    }

    @Test func errorStatuses() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let malformed = try server.request("POST", "/v1/upstreams", body: #"{"name": "#)
        #expect(malformed.status == 400)
        #expect(malformed.firstErrorPointer == "")
        let invalid = try server.request("POST", "/v1/upstreams", body: #"{"name":"users","targets":[{"url":"ftp://x"}]}"#)
        #expect(invalid.status == 422)
        #expect(invalid.firstErrorPointer?.hasPrefix("/targets/0") == true, "\(invalid.bodyText)")
        #expect(try server.request("POST", "/v1/upstreams", body: APITestServer.upstream).status == 201)
        let duplicate = try server.request("POST", "/v1/upstreams", body: APITestServer.upstream)
        #expect(duplicate.status == 409)
        #expect(try server.request("POST", "/v1/routes", body: APITestServer.route).status == 201)
        let referenced = try server.request("DELETE", "/v1/upstreams/users")
        #expect(referenced.status == 409)
        #expect(referenced.json["errors"]?.arrayValue?.isEmpty == false)
        #expect(try server.request("GET", "/v1/upstreams/users").status == 200)
    }

    @Test func ifMatchMismatchIs412() throws {
        let server = try APITestServer()
        defer { server.stop() }
        #expect(try server.request("POST", "/v1/tiers", body: APITestServer.tier).status == 201)
        let stale = try server.request("PUT", "/v1/tiers/free", body: #"{"name":"free","requests_per_second":7}"#,
                                       headers: [("If-Match", #""not-the-etag""#)])
        #expect(stale.status == 412)
        #expect(try server.request("DELETE", "/v1/tiers/free", headers: [("If-Match", #""nope""#)]).status == 412)
        #expect(try server.request("GET", "/v1/tiers/free").json["requests_per_second"]?.integerValue == 5)
    }

    /// Two writers read the same ETag and both PUT with it: exactly one wins, the other gets 412,
    /// and the stored entity is the winner's (no lost update).
    @Test func concurrentWritersWithSameETag() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let etag = try #require(try server.request("POST", "/v1/tiers", body: APITestServer.tier).header("ETag"))
        let results = Mutex<[Int: Int]>([:])
        let port = server.port
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let body = #"{"name":"free","requests_per_second":\#(100 + writer)}"#
            let status = (try? APITestServer.request(port: port, "PUT", "/v1/tiers/free", body: body, headers: [("If-Match", etag)]).status) ?? -1
            results.withLock { $0[writer] = status }
        }
        let statuses = results.withLock { $0 }
        #expect(statuses.values.sorted() == [200, 412], "\(statuses)")
        let winner = try #require(statuses.first { $0.value == 200 }?.key)
        #expect(try server.request("GET", "/v1/tiers/free").json["requests_per_second"]?.integerValue == Int64(100 + winner))
    }

    @Test func apiKeysIssuedOnceAndRevoked() throws {
        let server = try APITestServer()
        defer { server.stop() }
        #expect(try server.request("POST", "/v1/consumers/nobody/api-keys").status == 404)
        #expect(try server.request("POST", "/v1/tiers", body: APITestServer.tier).status == 201)
        #expect(try server.request("POST", "/v1/consumers", body: APITestServer.consumer).status == 201)
        let issued = try server.request("POST", "/v1/consumers/user-42/api-keys")
        #expect(issued.status == 201, "\(issued.bodyText)")
        let keyID = try #require(issued.json["key_id"]?.stringValue)
        let key = try #require(issued.json["key"]?.stringValue)
        #expect(key.count >= 20)
        #expect(issued.json["consumer"]?.stringValue == "user-42")
        #expect(issued.header("Location") == "/v1/consumers/user-42/api-keys/\(keyID)")
        // The key is never shown again.
        #expect(!(try server.request("GET", "/v1/consumers/user-42").bodyText.contains(key)))
        #expect(!(try server.request("GET", "/v1/audit").bodyText.contains(key)))
        #expect(try server.request("DELETE", "/v1/consumers/user-42/api-keys/\(keyID)").status == 204)
        #expect(try server.request("DELETE", "/v1/consumers/user-42/api-keys/\(keyID)").status == 404)
    }
}

