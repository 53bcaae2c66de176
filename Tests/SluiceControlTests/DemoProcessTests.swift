import Foundation
import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl

/// The real `sluice-control --demo` binary in a temporary working directory: the seeded demo
/// route through the embedded data plane (which follows the control plane by the real
/// long-poll over loopback), a route added and published through the admin API reaching the
/// proxy, SIGTERM/SIGINT, and a restart on the same `./data/`.
@Suite struct DemoProcessTests {
    static let loopbackArguments = ["--listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0",
                                    "--proxy-admin-listen", "127.0.0.1:0", "--demo-upstream-listen", "127.0.0.1:0"]

    @Test func demoServesPublishesAndRestartsOnItsDataDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-demo")
        defer { directory.remove() }

        let first = DemoProcessHarness(workingDirectory: directory.path, arguments: Self.loopbackArguments)
        #expect(try first.start())
        let token = try #require(first.adminToken)
        #expect(first.listeners.keys.sorted() == ["admin", "demo_upstream", "proxy", "proxy_admin"])
        let adminPort = try #require(first.port("admin"))
        let proxyPort = try #require(first.port("proxy"))
        let proxyAdminPort = try #require(first.port("proxy_admin"))
        #expect(FileManager.default.fileExists(atPath: directory.file("data/sluice.db")))

        // The seed, served at once (the listening line waits for the first sync).
        let hello = try APITestServer.request(port: proxyPort, "GET", "/hello", token: nil)
        #expect(hello.status == 200)
        #expect(hello.json["service"]?.stringValue == "demo")
        #expect(hello.json["method"]?.stringValue == "GET")
        #expect(hello.json["path"]?.stringValue == "/hello")
        let requestID = try #require(hello.header("X-Request-Id"))
        #expect(hello.json["headers"]?["X-Request-Id"]?.stringValue == requestID)
        #expect(hello.json["headers"]?["X-Forwarded-For"]?.stringValue == "127.0.0.1")
        let versions = try APITestServer.request(port: adminPort, "GET", "/v1/versions", token: token)
        #expect(versions.json["total"]?.integerValue == 1)
        #expect(versions.json["items"]?.arrayValue?.first?["comment"]?.stringValue == "demo")
        let status = try APITestServer.request(port: proxyAdminPort, "GET", "/status", token: nil)
        #expect(status.status == 200)
        #expect(status.bodyText.contains("\"version\":1") || status.bodyText.contains("\"version\": 1"))

        // A new route through the admin API, published: the proxy serves it within a few seconds.
        let route = #"{"name":"api","path_prefix":"/api","upstream":"demo","strip_prefix":true}"#
        #expect(try APITestServer.request(port: adminPort, "POST", "/v1/routes", token: token, body: route).status == 201)
        let published = ContinuousClock.now
        #expect(try APITestServer.request(port: adminPort, "POST", "/v1/versions", token: token,
                                          body: #"{"comment":"api"}"#).status == 201)
        let served = try Self.awaitPath("/hello", for: "/api/hello", port: proxyPort, deadline: .seconds(5))
        #expect(served)
        print("demo: publish → served in \(ContinuousClock.now - published)")

        first.signal(SIGTERM)
        let firstExit = first.waitForExit()
        #expect(firstExit.status == 0)
        #expect(!firstExit.standardError.contains(token))

        // Same ./data/: no new token, nothing re-seeded; only the demo upstream follows its new port.
        let second = DemoProcessHarness(workingDirectory: directory.path, arguments: Self.loopbackArguments)
        #expect(try second.start())
        #expect(second.adminToken == nil)
        let secondAdmin = try #require(second.port("admin"))
        let routes = try APITestServer.request(port: secondAdmin, "GET", "/v1/routes", token: token)
        #expect(routes.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["demo", "api"])
        #expect(try APITestServer.request(port: secondAdmin, "GET", "/v1/upstreams", token: token).json["total"]?.integerValue == 1)
        let history = try APITestServer.request(port: secondAdmin, "GET", "/v1/versions", token: token)
        let comments = history.json["items"]?.arrayValue?.compactMap { $0["comment"]?.stringValue } ?? []
        if second.listeners["demo_upstream"] == first.listeners["demo_upstream"] {
            #expect(comments == ["api", "demo"])
        } else {
            #expect(comments.count == 3)
            #expect(comments.first?.hasPrefix("demo: upstream moved to http://") == true)
        }
        let again = try APITestServer.request(port: try #require(second.port("proxy")), "GET", "/api/hello", token: nil)
        #expect(again.status == 200)
        #expect(again.json["path"]?.stringValue == "/hello")
        second.signal(SIGINT)
        #expect(second.waitForExit().status == 0)
    }

    @Test func proxyAdminOffAndDatabaseFlag() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-demo")
        defer { directory.remove() }
        let child = DemoProcessHarness(workingDirectory: directory.path,
                                       arguments: ["--db", "elsewhere/demo.db", "--listen", "127.0.0.1:0",
                                                   "--proxy-listen", "127.0.0.1:0", "--proxy-admin-listen", "off",
                                                   "--demo-upstream-listen", "127.0.0.1:0"],
                                       environment: ["SLUICE_DATAPLANE_TOKEN": "dp-configured-token-0123"])
        #expect(try child.start())
        #expect(child.listeners["proxy_admin"] == "off")
        #expect(FileManager.default.fileExists(atPath: directory.file("elsewhere/demo.db")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("data")))
        // The configured data-plane token is the one the embedded data plane uses.
        let adminPort = try #require(child.port("admin"))
        #expect(try APITestServer.request(port: adminPort, "GET", "/v1/dataplane/snapshot?node_id=x&wait=0",
                                          token: "dp-configured-token-0123").status == 200)
        let hello = try APITestServer.request(port: try #require(child.port("proxy")), "GET", "/x?y=1", token: nil)
        #expect(hello.json["query"]?.stringValue == "y=1")
        child.signal(SIGTERM)
        #expect(child.waitForExit().status == 0)
    }

    /// Polls `target` through the proxy until the demo upstream echoes `path` (true) or the
    /// deadline passes (false). Each attempt is a real request, so no sleep is needed.
    static func awaitPath(_ path: String, for target: String, port: UInt16, deadline: Duration) throws -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            let response = try APITestServer.request(port: port, "GET", target, token: nil)
            if response.json["path"]?.stringValue == path { return true }
        }
        return false
    }
}
