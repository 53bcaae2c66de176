import Foundation
import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl

@Suite struct LongPollTests {
    static let dataplane = APITestServer.dataplaneToken

    @Test func answersAtOnceWhenANewerVersionExists() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/versions").status == 201)
        let response = try server.request("GET", "/v1/dataplane/snapshot?after=0&node_id=n1", token: Self.dataplane)
        #expect(response.status == 200)
        #expect(response.header("X-Sluice-Version") == "1")
        #expect(response.json["version"]?.integerValue == 1)
        #expect(response.json["upstreams"]?.arrayValue?.count == 1)
    }

    @Test func timesOutWith304() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let started = Date()
        let response = try server.request("GET", "/v1/dataplane/snapshot?after=0&node_id=n1&wait=1", token: Self.dataplane)
        #expect(response.status == 304)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.9 && elapsed < 4, "\(elapsed)")
    }

    /// Parked polls on both loops are answered by a publish made on another connection, long
    /// before their `wait` runs out.
    @Test func publishWakesParkedPollsPromptly() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        var pollers: [TestTCPClient] = []
        for index in 0..<4 {
            let client = try TestTCPClient(port: server.port, timeoutSeconds: 10)
            try client.send(APITestServer.requestText("GET", "/v1/dataplane/snapshot?after=0&node_id=n\(index)&wait=30",
                                                      token: Self.dataplane, body: nil))
            pollers.append(client)
        }
        // The polls are parked once every node has been seen (recorded before parking).
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let seen = try server.request("GET", "/v1/dataplanes").json["total"]?.integerValue ?? 0
            if seen == 4 { break }
        }
        let started = Date()
        #expect(try server.request("POST", "/v1/versions", body: #"{"comment":"wake"}"#).status == 201)
        for client in pollers {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Sluice-Version") == "1")
            client.close()
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func closedPollerIsForgotten() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        let client = try TestTCPClient(port: server.port)
        try client.send(APITestServer.requestText("GET", "/v1/dataplane/snapshot?node_id=gone&wait=30", token: Self.dataplane, body: nil))
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, try server.request("GET", "/v1/dataplanes").json["total"]?.integerValue != 1 {}
        client.close()
        // Publishing after the poller left must not touch its connection (no crash, normal answer).
        #expect(try server.request("POST", "/v1/versions").status == 201)
        #expect(try server.request("GET", "/health", token: nil).status == 200)
    }

    @Test func badQueriesAre400() throws {
        let server = try APITestServer()
        defer { server.stop() }
        for query in ["after=1", "node_id=n&after=-1", "node_id=n&wait=61", "node_id=n&wait=x"] {
            #expect(try server.request("GET", "/v1/dataplane/snapshot?\(query)", token: Self.dataplane).status == 400, "\(query)")
        }
    }

    @Test func statusReportsShowInDataplanes() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/versions").status == 201)
        let report = #"{"node_id":"edge-1","hostname":"edge-1.local","applied_version":0,"error":"bad upstream"}"#
        #expect(try server.request("POST", "/v1/dataplane/status", token: Self.dataplane, body: report).status == 204)
        #expect(try server.request("POST", "/v1/dataplane/status", token: Self.dataplane, body: "{").status == 400)
        let invalid = try server.request("POST", "/v1/dataplane/status", token: Self.dataplane, body: #"{"applied_version":"x"}"#)
        #expect(invalid.status == 422)
        #expect(invalid.json["errors"]?.arrayValue?.count == 2)
        let nodes = try server.request("GET", "/v1/dataplanes")
        #expect(nodes.status == 200)
        let node = try #require(nodes.json["items"]?.arrayValue?.first)
        #expect(node["node_id"]?.stringValue == "edge-1")
        #expect(node["hostname"]?.stringValue == "edge-1.local")
        #expect(node["applied_version"]?.integerValue == 0)
        #expect(node["last_error"]?.stringValue == "bad upstream")
        #expect(node["behind"]?.boolValue == true)
        #expect(node["stale"]?.boolValue == false)
        #expect(node["last_seen"]?.stringValue?.hasSuffix("Z") == true)
    }

    /// A poll records the node as seen without inventing an applied version (`after` is what the
    /// node asks past, not what it runs); a later poll keeps what its status report said.
    @Test func pollMarksSeenWithoutAppliedVersion() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/versions").status == 201)
        #expect(try server.request("GET", "/v1/dataplane/snapshot?after=7&node_id=p1&wait=0", token: Self.dataplane).status == 304)
        var node = try #require(server.request("GET", "/v1/dataplanes").json["items"]?.arrayValue?.first)
        #expect(node["node_id"]?.stringValue == "p1")
        #expect(node["applied_version"]?.integerValue == 0)
        #expect(node["behind"]?.boolValue == true)
        #expect(node["stale"]?.boolValue == false)
        let report = #"{"node_id":"p1","hostname":"p1.local","applied_version":1,"error":null}"#
        #expect(try server.request("POST", "/v1/dataplane/status", token: Self.dataplane, body: report).status == 204)
        #expect(try server.request("GET", "/v1/dataplane/snapshot?after=1&node_id=p1&wait=0", token: Self.dataplane).status == 304)
        node = try #require(server.request("GET", "/v1/dataplanes").json["items"]?.arrayValue?.first)
        #expect(node["applied_version"]?.integerValue == 1)
        #expect(node["hostname"]?.stringValue == "p1.local")
        #expect(node["behind"]?.boolValue == false)
    }
}
