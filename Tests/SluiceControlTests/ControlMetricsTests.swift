import Foundation
import SluiceControl
import SluiceHTTP
import SluiceTestSupport
import Testing

/// The control plane's `GET /metrics` (no token), read with the strict exposition parser.
@Suite struct ControlMetricsTests {
    func scrape(_ server: APITestServer) throws -> PrometheusScrape {
        let response = try server.request("GET", "/metrics", token: nil)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        return try PrometheusScrape(parsing: response.bodyText)
    }

    @Test func adminRequestsAreCountedByRouteTemplateAndStatus() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let before = try scrape(server)
        #expect(before.value("sluice_control_publishes_total") == 0)
        #expect(before.type(of: "sluice_control_admin_requests_total") == "counter")

        try server.seedMinimalConfig()
        #expect(try server.request("GET", "/v1/routes/users-api").status == 200)
        #expect(try server.request("GET", "/v1/routes/no-such-route").status == 404)
        #expect(try server.request("GET", "/v1/routes/users-api", token: "wrong").status == 401)
        #expect(try server.request("GET", "/v1/nothing-here").status == 404)

        let after = try scrape(server)
        let admin = "sluice_control_admin_requests_total"
        #expect(after.value(admin, ["endpoint": "/v1/upstreams", "method": "POST", "status": "201"]) == 1)
        #expect(after.value(admin, ["endpoint": "/v1/routes", "method": "POST", "status": "201"]) == 1)
        #expect(after.value(admin, ["endpoint": "/v1/routes/{name}", "method": "GET", "status": "200"]) == 1)
        #expect(after.value(admin, ["endpoint": "/v1/routes/{name}", "method": "GET", "status": "404"]) == 1)
        #expect(after.value(admin, ["endpoint": "/v1/routes/{name}", "method": "GET", "status": "401"]) == 1)
        #expect(after.value(admin, ["endpoint": "(none)", "method": "GET", "status": "404"]) == 1)
        #expect(after.value(admin, ["endpoint": "/metrics", "method": "GET", "status": "200"]) == 1, "the first scrape")
        #expect(!after.samples(named: admin).contains { $0.labels["endpoint"]?.contains("users-api") == true },
                "never a raw id in a label")
        #expect(after.value("sluice_control_sqlite_duration_seconds_count").map { $0 > 0 } == true)
    }

    @Test func publishesRollbacksDataplanesAndWaitersMove() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/versions", body: #"{"comment":"one"}"#).status == 201)
        try server.request("PUT", "/v1/upstreams/users", body: #"{"name":"users","targets":[{"url":"http://127.0.0.1:9002"}]}"#)
            .status.expect(200)
        #expect(try server.request("POST", "/v1/versions").status == 201)
        #expect(try server.request("POST", "/v1/versions").status == 200, "unchanged: not a publish")
        #expect(try server.request("POST", "/v1/versions/1/rollback").status == 201)
        var scraped = try scrape(server)
        #expect(scraped.value("sluice_control_publishes_total") == 2)
        #expect(scraped.value("sluice_control_rollbacks_total") == 1)
        #expect(scraped.value("sluice_control_dataplanes_connected") == 0)

        // A data plane's poll that parks (it already has the newest version) until its 3 s wait ends.
        let poller = try TestTCPClient(port: server.port, timeoutSeconds: 10)
        defer { poller.close() }
        try poller.send(APITestServer.requestText("GET", "/v1/dataplane/snapshot?node_id=n1&after=3&wait=3",
                                                  token: APITestServer.dataplaneToken, body: nil))
        #expect(try waitUntil { try scrape(server).value("sluice_control_longpoll_waiters") == 1 })
        scraped = try scrape(server)
        #expect(scraped.value("sluice_control_dataplanes_connected") == 1)
        #expect(try poller.readResponse(bodyless: true).status == 304)
        scraped = try scrape(server)
        #expect(scraped.value("sluice_control_longpoll_waiters") == 0)
        #expect(scraped.value("sluice_control_admin_requests_total",
                              ["endpoint": "/v1/dataplane/snapshot", "method": "GET", "status": "304"]) == 1)
    }
}

extension Int {
    func expect(_ value: Int) { #expect(self == value) }
}

/// Polls `condition` (every 10 ms, up to 5 s): for state the server reaches on another thread.
func waitUntil(_ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}
