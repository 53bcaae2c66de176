import Foundation
import SluicePolicy
import SluiceTestSupport
import Testing

/// The built `sluice-proxy` with policies from a snapshot file: refusals and limits show in
/// `/metrics` (`sluice_auth_failures_total{route,reason}`, `sluice_rate_limited_total{route,tier}`)
/// and in the access log (`consumer_id`, `tier`, `limit`).
@Suite struct PolicyProcessTests {
    static let secret = [UInt8](repeating: 0x42, count: 32)

    static func snapshot(upstreamPort: UInt16) -> String {
        let secretBase64 = Data(secret).base64EncodedString()
        return """
        {"format": 1, "version": 1,
         "upstreams": [{"name": "named", "targets": [{"url": "http://127.0.0.1:\(upstreamPort)"}]}],
         "routes": [{"name": "private", "path_prefix": "/private", "upstream": "named", "auth": "jwt"},
                    {"name": "public", "path_prefix": "/public", "upstream": "named"}],
         "tiers": [{"name": "gold", "requests_per_second": 0.01, "burst": 2},
                   {"name": "anonymous", "requests_per_second": 0.01, "burst": 3}],
         "consumers": [{"id": "user-7", "tier": "gold"}],
         "jwt_keys": [{"kid": "k1", "alg": "HS256", "secret": "\(secretBase64)"}]}
        """
    }

    func get(_ path: String, port: UInt16, _ fields: [String] = []) throws -> TestHTTPResponse {
        let client = try TestTCPClient(port: port)
        defer { client.close() }
        try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n")
        return try client.readResponse()
    }

    @Test func refusalsAndLimitsAreCountedAndLogged() throws {
        let upstream = try NamedUpstream(name: "named")
        defer { upstream.stop() }
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(Self.snapshot(upstreamPort: upstream.port))
        let logPath = file.directory.file("access.log")
        let proxy = try RunningProxy(configPath: file.path, extraArguments: ["--access-log", logPath])
        let port = try proxy.proxyPort
        let signer = try JWTSigner(secret: Self.secret, algorithm: .hs256)
        let exp = Int(Date().timeIntervalSince1970) + 600
        let token = signer.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: #"{"sub":"user-7","exp":\#(exp)}"#)
        let expired = signer.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: #"{"sub":"user-7","exp":1000}"#)

        #expect(try get("/private", port: port).status == 401)
        #expect(try get("/private", port: port, ["Authorization: Bearer \(expired)"]).status == 401)
        for _ in 0..<2 { #expect(try get("/private", port: port, ["Authorization: Bearer \(token)"]).status == 200) }
        #expect(try get("/private", port: port, ["Authorization: Bearer \(token)"]).status == 429)
        // Failed authentications were charged to this address's anonymous budget (3): one left.
        #expect(try get("/public", port: port).status == 200)
        #expect(try get("/public", port: port).status == 429)
        // Guessing goes on at the anonymous rate: refused credentials now get 429, not 401.
        #expect(try get("/private", port: port, ["Authorization: Bearer \(expired)"]).status == 429)

        let scrape = try PrometheusScrape(parsing: try proxy.admin("/metrics").bodyText)
        #expect(scrape.value("sluice_auth_failures_total", ["route": "private", "reason": "missing"]) == 1)
        #expect(scrape.value("sluice_auth_failures_total", ["route": "private", "reason": "expired"]) == 1)
        #expect(scrape.value("sluice_rate_limited_total", ["route": "private", "tier": "gold"]) == 1)
        #expect(scrape.value("sluice_rate_limited_total", ["route": "private", "tier": "anonymous"]) == 1)
        #expect(scrape.value("sluice_rate_limited_total", ["route": "public", "tier": "anonymous"]) == 1)
        #expect(scrape.value("sluice_requests_total", ["route": "private", "method": "GET", "status_class": "4xx"]) == 4)

        #expect(proxy.stop().status == 0)
        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try jsonObject(Array($0.utf8)) }
        #expect(objects.count == 8)
        guard objects.count == 8 else { return }
        #expect(objects[0]["status"] as? Int == 401 && objects[0]["consumer_id"] is NSNull)
        // Durations are measured with the clock itself: a local answer is not 0 ms, and a
        // forwarded request takes at least its upstream's time.
        #expect((objects[0]["duration_ms"] as? Double).map { $0 > 0 } == true)
        let total = try #require(objects[2]["duration_ms"] as? Double)
        let upstreamPart = try #require(objects[2]["upstream_duration_ms"] as? Double)
        #expect(total >= upstreamPart && upstreamPart > 0)
        #expect(objects[2]["consumer_id"] as? String == "user-7")
        #expect(objects[2]["tier"] as? String == "gold")
        #expect(objects[2]["limit"] as? String == "allowed")
        #expect(objects[4]["status"] as? Int == 429 && objects[4]["limit"] as? String == "limited")
        #expect(objects[4]["consumer_id"] as? String == "user-7")
        #expect(objects[5]["tier"] as? String == "anonymous" && objects[5]["consumer_id"] is NSNull)
        #expect(objects[7]["status"] as? Int == 429 && objects[7]["tier"] as? String == "anonymous")
        // No token ever reaches the log.
        #expect(!lines.joined().contains(token) && !lines.joined().contains(expired))
    }

    @Test func accessLogNamesTheClientBehindTrustedProxies() throws {
        let upstream = try NamedUpstream(name: "named")
        defer { upstream.stop() }
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(Self.snapshot(upstreamPort: upstream.port))
        let logPath = file.directory.file("access.log")
        let proxy = try RunningProxy(configPath: file.path,
                                     extraArguments: ["--access-log", logPath, "--trusted-proxies", "127.0.0.0/8"])
        let port = try proxy.proxyPort
        #expect(try get("/public", port: port, ["X-Forwarded-For: 198.51.100.4, 203.0.113.7"]).status == 200)
        #expect(try get("/nowhere", port: port, ["X-Forwarded-For: 2001:db8::9"]).status == 404)
        #expect(try get("/public", port: port).status == 200)
        #expect(proxy.stop().status == 0)
        let objects = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map { try jsonObject(Array($0.utf8)) }
        #expect(objects.map { $0["client_ip"] as? String } == ["203.0.113.7", "2001:db8::9", "127.0.0.1"])
    }
}
