import Foundation
import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl
import SluiceHTTP

/// Issue #4's API sentences checked one by one from outside: optimistic concurrency on every
/// write, versions history and rollback, input robustness, and parked polls that cost no thread.
@Suite struct APIContractTests {
    /// `If-Match` on PUT and DELETE: a matching ETag (or one of a list, or `*`) writes; `*` on a
    /// missing entity is 412 (RFC 9110 §13.1.1), not a create; the ETag of a GET is the one to send.
    @Test func ifMatchOnEveryWrite() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let etag = try #require(try server.request("POST", "/v1/tiers", body: APITestServer.tier).header("ETag"))
        #expect(try server.request("GET", "/v1/tiers/free").header("ETag") == etag)
        let listed = try server.request("PUT", "/v1/tiers/free", body: #"{"name":"free","requests_per_second":6}"#,
                                        headers: [("If-Match", #""other", \#(etag)"#)])
        #expect(listed.status == 200, "\(listed.bodyText)")
        let newer = try #require(listed.header("ETag"))
        // The old ETag no longer matches, for PUT and DELETE alike.
        #expect(try server.request("PUT", "/v1/tiers/free", body: APITestServer.tier, headers: [("If-Match", etag)]).status == 412)
        #expect(try server.request("DELETE", "/v1/tiers/free", headers: [("If-Match", etag)]).status == 412)
        #expect(try server.request("PUT", "/v1/tiers/ghost", body: #"{"name":"ghost","requests_per_second":1}"#,
                                   headers: [("If-Match", "*")]).status == 412)
        #expect(try server.request("DELETE", "/v1/tiers/ghost", headers: [("If-Match", "*")]).status == 412)
        #expect(try server.request("GET", "/v1/tiers/ghost").status == 404)
        #expect(try server.request("PUT", "/v1/tiers/free", body: APITestServer.tier, headers: [("If-Match", "*")]).status == 200)
        #expect(try server.request("DELETE", "/v1/tiers/free", headers: [("If-Match", newer)]).status == 412)
        let current = try #require(try server.request("GET", "/v1/tiers/free").header("ETag"))
        #expect(try server.request("DELETE", "/v1/tiers/free", headers: [("If-Match", current)]).status == 204)
        #expect(try server.request("GET", "/v1/tiers/free").status == 404)
    }

    /// Publish twice unchanged: one row. Rollback: 201 + `Location`, the working config becomes
    /// version n's (entities added since are gone, removed ones are back), history only grows and
    /// older versions keep their snapshots; unknown versions are 404 everywhere.
    @Test func rollbackResetsTheWorkingConfigAndHistoryOnlyGrows() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/tiers", body: APITestServer.tier).status == 201)
        let first = try server.request("POST", "/v1/versions", body: #"{"comment":"one"}"#)
        #expect(first.status == 201)
        #expect(try server.request("POST", "/v1/versions").status == 200)
        #expect(try server.request("GET", "/v1/versions").json["total"]?.integerValue == 1)

        #expect(try server.request("DELETE", "/v1/tiers/free").status == 204)
        #expect(try server.request("POST", "/v1/upstreams", body: #"{"name":"extra","targets":[{"url":"http://127.0.0.1:9"}]}"#).status == 201)
        #expect(try server.request("POST", "/v1/versions", body: #"{"comment":"two"}"#).status == 201)

        let rollback = try server.request("POST", "/v1/versions/1/rollback")
        #expect(rollback.status == 201, "\(rollback.bodyText)")
        #expect(rollback.header("Location") == "/v1/versions/3")
        #expect(rollback.json["version"]?.integerValue == 3)
        #expect(rollback.json["rolled_back_from"]?.integerValue == 1)
        #expect(try server.request("GET", "/v1/tiers/free").status == 200)
        #expect(try server.request("GET", "/v1/upstreams/extra").status == 404)
        #expect(try server.request("GET", "/v1/upstreams").json["total"]?.integerValue == 1)
        // The working config equals version 3 now: publishing changes nothing.
        let again = try server.request("POST", "/v1/versions")
        #expect(again.status == 200)
        #expect(again.json["version"]?.integerValue == 3)

        let history = try server.request("GET", "/v1/versions")
        #expect(history.json["items"]?.arrayValue?.compactMap { $0["version"]?.integerValue } == [3, 2, 1])
        #expect(history.json["items"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["rollback", "publish", "publish"])
        let second = try server.request("GET", "/v1/versions/2")
        #expect(second.json["snapshot"]?["upstreams"]?.arrayValue?.count == 2)
        #expect(second.json["comment"]?.stringValue == "two")
        #expect(try server.request("GET", "/v1/versions/1").json["sha256"] == first.json["sha256"])

        for target in ["/v1/versions/4", "/v1/versions/0", "/v1/versions/-1", "/v1/versions/99999999999999999999"] {
            #expect(try server.request("GET", target).status == 404, "\(target)")
        }
        #expect(try server.request("POST", "/v1/versions/4/rollback").status == 404)
        #expect(try server.request("GET", "/v1/versions/4/diff?against=1").status == 404)
        for query in ["", "?against=", "?against=x", "?against=-2", "?other=1"] {
            let diff = try server.request("GET", "/v1/versions/2/diff\(query)")
            #expect(diff.status == 400, "\(query)")
            #expect(diff.firstErrorPointer == "")
        }
        let diff = try server.request("GET", "/v1/versions/2/diff?against=1")
        #expect(diff.json["upstreams"]?["added"] == .array([.string("extra")]))
        #expect(diff.json["tiers"]?["removed"] == .array([.string("free")]))
        #expect(try server.request("GET", "/v1/versions").json["total"]?.integerValue == 3)
    }

    /// Malformed JSON is 400 with pointer ""; wrong types 422 with pointers; unknown query
    /// parameters are ignored; names go through percent-decoding; `/` (encoded or not) is never
    /// part of a name.
    @Test func inputRobustness() throws {
        let server = try APITestServer()
        defer { server.stop() }
        for body in ["{", "{\"name\":", "nul", "[1,]", "{\"a\":1}x"] {
            let response = try server.request("POST", "/v1/tiers", body: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.firstErrorPointer == "", "\(body)")
        }
        let typed = try server.request("POST", "/v1/upstreams", body: #"{"name":5,"targets":[{"url":7}]}"#)
        #expect(typed.status == 422)
        let pointers = typed.json["errors"]?.arrayValue?.compactMap { $0["pointer"]?.stringValue } ?? []
        #expect(pointers.contains("/name"), "\(pointers)")
        #expect(pointers.contains("/targets/0/url"), "\(pointers)")
        #expect(try server.request("POST", "/v1/tiers", body: "[]").status == 422)

        #expect(try server.request("POST", "/v1/upstreams", body: APITestServer.upstream).status == 201)
        #expect(try server.request("GET", "/v1/upstreams?unknown=1&limit=5").json["limit"]?.integerValue == 5)
        #expect(try server.request("GET", "/v1/upstreams/us%65rs").json["name"]?.stringValue == "users")
        #expect(try server.request("GET", "/v1/upstreams/users%2Fx").status == 404)
        #expect(try server.request("GET", "/v1/upstreams/users/x").status == 404)
        for target in ["/v1/upstreams/us%zzrs", "/v1/upstreams/%", "/v1/upstreams/%FF"] {
            let malformed = try server.request("GET", target)
            #expect(malformed.status == 400, "\(target)")
            #expect(malformed.firstErrorPointer == "", "\(target)")
        }
        let slash = try server.request("POST", "/v1/upstreams", body: #"{"name":"a/b","targets":[{"url":"http://127.0.0.1:9"}]}"#)
        #expect(slash.status == 422)
        #expect(slash.firstErrorPointer == "/name")
    }

    /// Two routes the router could not tell apart are accepted one by one, then refused as a whole
    /// by validate and publish (422 at the second route), and nothing is published.
    @Test func conflictingRoutesAre422OnPublish() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        let twin = #"{"name":"twin","path_prefix":"/api/users","upstream":"users"}"#
        #expect(try server.request("POST", "/v1/routes", body: twin).status == 201)
        for (method, path) in [("POST", "/v1/config/validate"), ("POST", "/v1/versions")] {
            let response = try server.request(method, path)
            #expect(response.status == 422, "\(path): \(response.bodyText)")
            #expect(response.firstErrorPointer == "/routes/1", "\(path)")
        }
        #expect(try server.request("GET", "/v1/versions").json["total"]?.integerValue == 0)
        #expect(try server.request("DELETE", "/v1/routes/twin").status == 204)
        #expect(try server.request("POST", "/v1/versions").status == 201)
    }

    /// A node not seen for more than three default waits is `stale`; one that reported the latest
    /// version is not `behind`.
    @Test func staleAndBehind() throws {
        let server = try APITestServer(defaultWaitSeconds: 30)
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/versions").status == 201)
        let now = UTCTime.now().secondsSince1970
        try server.store.recordDataplaneStatus(nodeID: "old", hostname: "o", appliedVersion: 1, error: nil,
                                               at: UTCTime(secondsSince1970: now - 91))
        try server.store.recordDataplaneStatus(nodeID: "recent", hostname: "r", appliedVersion: 1, error: nil,
                                               at: UTCTime(secondsSince1970: now - 30))
        let items = try #require(server.request("GET", "/v1/dataplanes").json["items"]?.arrayValue)
        #expect(items.compactMap { $0["node_id"]?.stringValue } == ["old", "recent"])
        #expect(items.compactMap { $0["stale"]?.boolValue } == [true, false])
        #expect(items.compactMap { $0["behind"]?.boolValue } == [false, false])
        // A poll brings the old node back.
        #expect(try server.request("GET", "/v1/dataplane/snapshot?node_id=old&after=1&wait=0",
                                   token: APITestServer.dataplaneToken).status == 304)
        let again = try #require(server.request("GET", "/v1/dataplanes").json["items"]?.arrayValue)
        #expect(again.first?["stale"]?.boolValue == false)
        #expect(again.first?["applied_version"]?.integerValue == 1)
    }

    /// `GET /v1/audit`'s `total` is the number of entries (not the newest id), pages walk them
    /// newest first, and the actor is the token's source or id, never a token.
    @Test func auditTotalAndPages() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/tiers", body: APITestServer.tier).status == 201)
        #expect(try server.request("DELETE", "/v1/tiers/free").status == 204)
        #expect(try server.request("POST", "/v1/versions").status == 201)
        let all = try server.request("GET", "/v1/audit?limit=1000")
        let items = try #require(all.json["items"]?.arrayValue)
        #expect(items.count == 5)
        #expect(all.json["total"]?.integerValue == 5)
        #expect(items.compactMap { $0["action"]?.stringValue } == ["publish", "delete", "create", "create", "create"])
        let page = try server.request("GET", "/v1/audit?limit=2&offset=3")
        #expect(page.json["total"]?.integerValue == 5)
        #expect(page.json["items"]?.arrayValue == Array(items[3...]))
        #expect(items.allSatisfy { $0["actor"]?.stringValue == "env:SLUICE_ADMIN_TOKEN" })
    }

    /// Parked long polls are registered connections, not threads: a `sluice-control` process's
    /// thread count (`/proc/PID/task`) does not grow with 64 parked polls, and other requests are
    /// answered meanwhile.
    @Test func parkedPollsCostNoThread() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-contract")
        defer { directory.remove() }
        let child = ControlProcessHarness(arguments: ["--db", directory.file("c.db"), "--listen", "127.0.0.1:0"],
                                          environment: ["SLUICE_ADMIN_TOKEN": "adm", "SLUICE_DATAPLANE_TOKEN": "dp"])
        #expect(try child.start())
        defer { child.signal(SIGKILL); _ = child.waitForExit() }
        let port = try #require(child.port)
        let seed = [("/v1/upstreams", APITestServer.upstream), ("/v1/routes", APITestServer.route)]
        for (path, body) in seed { #expect(try APITestServer.request(port: port, "POST", path, token: "adm", body: body).status == 201) }
        let threadsBefore = try Self.threadCount(child.process.processIdentifier)
        var pollers: [TestTCPClient] = []
        defer { for client in pollers { client.close() } }
        for index in 0..<64 {
            let client = try TestTCPClient(port: port, timeoutSeconds: 10)
            try client.send(APITestServer.requestText("GET", "/v1/dataplane/snapshot?after=0&node_id=p\(index)&wait=30",
                                                      token: "dp", body: nil))
            pollers.append(client)
        }
        func seen() throws -> Int64? {
            try APITestServer.request(port: port, "GET", "/v1/dataplanes?limit=1000", token: "adm").json["total"]?.integerValue
        }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, try seen() != 64 {}
        #expect(try seen() == 64)
        #expect(try Self.threadCount(child.process.processIdentifier) == threadsBefore)
        #expect(try APITestServer.request(port: port, "POST", "/v1/versions", token: "adm").status == 201)
        for client in pollers {
            #expect(try client.readResponse().status == 200)
        }
    }

    static func threadCount(_ pid: Int32) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").count
    }
}
