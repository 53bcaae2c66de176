import Foundation
import SluiceTestSupport
import Testing

/// `GET /metrics` of a real `sluice-proxy` on loopback, read with the strict exposition parser:
/// counters move by exactly the requests made, errors are classified, the gauges follow the
/// connections and the config; and the access log (a file, flushed at shutdown) has one JSON
/// line per request with every field.
@Suite struct MetricsEndpointTests {
    /// Routes: `/ok` → a named upstream, `/refused` → a closed port, `/slow` → a listener that
    /// never answers (route timeout 150 ms); nothing else matches (404).
    static func snapshot(version: Int, upstreamPort: UInt16, closedPort: UInt16, silentPort: UInt16) -> String {
        """
        {"format": 1, "version": \(version),
         "upstreams": [{"name": "named", "targets": [{"url": "http://127.0.0.1:\(upstreamPort)"}]},
                       {"name": "closed", "targets": [{"url": "http://127.0.0.1:\(closedPort)"}]},
                       {"name": "silent", "targets": [{"url": "http://127.0.0.1:\(silentPort)"}]}],
         "routes": [{"name": "ok", "path_prefix": "/ok", "upstream": "named"},
                    {"name": "refused", "path_prefix": "/refused", "upstream": "closed"},
                    {"name": "slow", "path_prefix": "/slow", "upstream": "silent", "timeout_ms": 150}]}
        """
    }

    struct Setup {
        let upstream: NamedUpstream
        let silent: ScriptedFullBacklogListener
        let file: SnapshotFile
        let proxy: RunningProxy
        let accessLogPath: String
        let closedPort: UInt16

        init(extraArguments: [String] = []) throws {
            upstream = try NamedUpstream(name: "named")
            silent = try ScriptedSilentListener.make()
            closedPort = try ScriptedSocket.closedPort()
            file = try SnapshotFile()
            accessLogPath = file.directory.file("access.log")
            try file.write(MetricsEndpointTests.snapshot(version: 1, upstreamPort: upstream.port, closedPort: closedPort,
                                                         silentPort: silent.port))
            proxy = try RunningProxy(configPath: file.path, extraArguments: ["--access-log", accessLogPath] + extraArguments)
        }

        func scrape() throws -> PrometheusScrape {
            let response = try proxy.admin("/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            return try PrometheusScrape(parsing: response.bodyText)
        }

        func finish() {
            upstream.stop()
            silent.close()
            file.remove()
        }
    }

    @Test func countersMoveByExactlyTheRequestsMade() throws {
        let setup = try Setup()
        defer { setup.finish() }
        let proxy = setup.proxy
        let port = try proxy.proxyPort
        let before = try setup.scrape()
        #expect(before.sum("sluice_requests_total") == 0)
        for family in ["sluice_rate_limited_total", "sluice_auth_failures_total", "sluice_upstream_errors_total"] {
            #expect(before.type(of: family) == "counter", "\(family) is declared before any sample")
        }
        #expect(before.type(of: "sluice_request_duration_seconds") == "histogram")
        #expect(before.value("sluice_config_version") == 1)
        #expect(before.value("sluice_config_apply_failures_total") == 0)

        for _ in 0..<3 { #expect(try proxy.request("GET", "/ok/a?x=1", port: port).status == 200) }
        for _ in 0..<2 { #expect(try proxy.request("POST", "/ok/b", port: port).status == 200) }
        #expect(try proxy.request("GET", "/nowhere", port: port).status == 404)
        #expect(try proxy.request("DELETE", "/refused", port: port).status == 502)
        #expect(try proxy.request("GET", "/slow", port: port).status == 504)

        let after = try setup.scrape()
        #expect(after.value("sluice_requests_total", ["route": "ok", "method": "GET", "status_class": "2xx"]) == 3)
        #expect(after.value("sluice_requests_total", ["route": "ok", "method": "POST", "status_class": "2xx"]) == 2)
        #expect(after.value("sluice_requests_total", ["route": "(none)", "method": "GET", "status_class": "4xx"]) == 1)
        #expect(after.value("sluice_requests_total", ["route": "refused", "method": "DELETE", "status_class": "5xx"]) == 1)
        #expect(after.value("sluice_requests_total", ["route": "slow", "method": "GET", "status_class": "5xx"]) == 1)
        #expect(after.sum("sluice_requests_total") == 8, "no request counted twice, none forgotten")
        #expect(after.value("sluice_request_duration_seconds_count", ["route": "ok"]) == 5)
        #expect(after.value("sluice_request_duration_seconds_bucket", ["route": "slow", "le": "0.1"]) == 0,
                "the 504 waited for the 150 ms route timeout")
        #expect(after.value("sluice_request_duration_seconds_count", ["route": "slow"]) == 1)
        #expect(after.value("sluice_upstream_duration_seconds_count", ["upstream": "named"]) == 5)
        #expect(after.value("sluice_upstream_errors_total", ["upstream": "closed", "kind": "refused"]) == 1)
        #expect(after.value("sluice_upstream_errors_total", ["upstream": "silent", "kind": "timeout"]) == 1)
        #expect(after.sum("sluice_upstream_errors_total") == 2)
        #expect(after.value("process_open_fds").map { $0 > 3 } == true)
        #expect(after.value("process_resident_memory_bytes").map { $0 > 1_000_000 } == true)
        let start = try #require(after.value("process_start_time_seconds"))
        #expect(abs(start - Date().timeIntervalSince1970) < 600)
        #expect(after.value("sluice_uptime_seconds").map { $0 >= 0 } == true)

        // HEAD answers like GET without a body; other methods 405; unknown admin paths 404.
        let head = try proxy.admin("/metrics", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(try proxy.admin("/metrics", method: "POST").status == 405)
        #expect(try proxy.admin("/metricsx").status == 404)
        #expect(proxy.stop().status == 0)
    }

    @Test func activeConnectionsAndConfigStateFollowTheProcess() throws {
        let setup = try Setup()
        defer { setup.finish() }
        let proxy = setup.proxy
        // Two keep-alive clients, each with one answered request (so both are accepted).
        var clients: [TestTCPClient] = []
        for _ in 0..<2 {
            let client = try TestTCPClient(port: try proxy.proxyPort)
            try client.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            clients.append(client)
        }
        #expect(try setup.scrape().value("sluice_active_connections") == 2)
        clients[0].close()
        #expect(try eventually { try setup.scrape().value("sluice_active_connections") == 1 })
        clients[1].close()
        #expect(try eventually { try setup.scrape().value("sluice_active_connections") == 0 })

        try setup.file.write(MetricsEndpointTests.snapshot(version: 2, upstreamPort: setup.upstream.port,
                                                           closedPort: setup.closedPort, silentPort: setup.silent.port))
        proxy.signal(SIGHUP)
        #expect(try eventually { try setup.scrape().value("sluice_config_version") == 2 })
        try setup.file.write(SnapshotFile.unknownUpstream(version: 3))
        proxy.signal(SIGHUP)
        #expect(try eventually { try setup.scrape().value("sluice_config_apply_failures_total") == 1 })
        let last = try setup.scrape()
        #expect(last.value("sluice_config_version") == 2)
        #expect(last.value("sluice_config_generation") == 2)
        // Counted by route name across the swap: one route, one series.
        #expect(try proxy.request("GET", "/ok", port: try proxy.proxyPort).status == 200)
        #expect(try setup.scrape().value("sluice_requests_total", ["route": "ok", "method": "GET", "status_class": "2xx"]) == 3)
        #expect(proxy.stop().status == 0)
    }

    @Test func accessLogHasOneJSONLinePerRequestWithEveryField() throws {
        let setup = try Setup()
        defer { setup.finish() }
        let proxy = setup.proxy
        let port = try proxy.proxyPort
        let client = try TestTCPClient(port: port)
        try client.send("GET /ok/a?secret=1 HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-123\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        try client.send("POST /ok/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try client.readResponse().status == 200)
        client.close()
        #expect(try proxy.request("GET", "/nowhere", port: port).status == 404)
        #expect(try proxy.request("GET", "/refused", port: port).status == 502)
        let stopped = proxy.stop()
        #expect(stopped.status == 0)
        // The event log saw the shutdown; the access log was flushed before exit.
        #expect(try eventLines(stopped.standardError).contains { $0["event"] as? String == "shutdown" })

        let text = try String(contentsOfFile: setup.accessLogPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(text.hasSuffix("\n"))
        let objects = try lines.map { try jsonObject(Array($0.utf8)) }
        let fields = ["time", "request_id", "client_ip", "method", "path", "route", "upstream", "target", "status",
                      "bytes_in", "bytes_out", "duration_ms", "upstream_duration_ms", "consumer_id", "tier", "limit"]
        for object in objects {
            #expect(Set(object.keys) == Set(fields))
            let time = try #require(object["time"] as? String)
            #expect(time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
            #expect(object["client_ip"] as? String == "127.0.0.1")
            #expect(object["consumer_id"] is NSNull && object["tier"] is NSNull && object["limit"] is NSNull)
            #expect((object["duration_ms"] as? Double).map { $0 >= 0 } == true)
        }
        let first = objects[0]
        #expect(first["request_id"] as? String == "abc-123")
        #expect(first["method"] as? String == "GET")
        #expect(first["path"] as? String == "/ok/a", "no query string by default")
        #expect(first["route"] as? String == "ok")
        #expect(first["upstream"] as? String == "named")
        #expect(first["target"] as? String == "127.0.0.1:\(setup.upstream.port)")
        #expect(first["status"] as? Int == 200)
        #expect(first["bytes_out"] as? Int == 5, "the body \"named\"")
        #expect(first["upstream_duration_ms"] is Double)
        let upload = objects[1]
        #expect(upload["method"] as? String == "POST")
        #expect(upload["bytes_in"] as? Int == "POST /ok/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n".utf8.count + 5)
        let notFound = objects[2]
        #expect(notFound["status"] as? Int == 404)
        #expect(notFound["route"] is NSNull && notFound["upstream"] is NSNull && notFound["target"] is NSNull)
        #expect(notFound["upstream_duration_ms"] is NSNull)
        let refused = objects[3]
        #expect(refused["status"] as? Int == 502)
        #expect(refused["route"] as? String == "refused")
        #expect(refused["target"] as? String == "127.0.0.1:\(setup.closedPort)")
        let requestID = try #require(refused["request_id"] as? String)
        #expect(refused["bytes_out"] as? Int == #"{"error":"upstream failed","request_id":""#.utf8.count + requestID.utf8.count + 2)
    }

    @Test func aFailingTargetIsLoggedOnceUntilItAnswers() throws {
        let setup = try Setup()
        defer { setup.finish() }
        let port = try setup.proxy.proxyPort
        for _ in 0..<3 { #expect(try setup.proxy.request("GET", "/refused", port: port).status == 502) }
        #expect(try setup.proxy.request("GET", "/ok", port: port).status == 200)
        let stopped = setup.proxy.stop()
        let down = try eventLines(stopped.standardError).filter { $0["event"] as? String == "upstream_down" }
        #expect(down.count == 1)
        #expect(down.first?["upstream"] as? String == "closed")
        #expect(down.first?["target"] as? String == "127.0.0.1:\(setup.closedPort)")
        #expect(down.first?["reason"] as? String == "refused")
        #expect(down.first?["level"] as? String == "warning")
    }

    @Test func accessLogQueryFlagKeepsTheQuery() throws {
        let setup = try Setup(extraArguments: ["--access-log-query"])
        defer { setup.finish() }
        #expect(try setup.proxy.request("GET", "/ok/a?x=1&y=%22", port: try setup.proxy.proxyPort).status == 200)
        #expect(setup.proxy.stop().status == 0)
        let line = try String(contentsOfFile: setup.accessLogPath, encoding: .utf8)
        #expect(try jsonObject(Array(line.utf8))["path"] as? String == "/ok/a?x=1&y=%22")
    }

    @Test func metricsOffStillAnswersWithConfigAndProcessValues() throws {
        let setup = try Setup(extraArguments: ["--metrics", "off"])
        defer { setup.finish() }
        #expect(try setup.proxy.request("GET", "/ok", port: try setup.proxy.proxyPort).status == 200)
        let scrape = try setup.scrape()
        #expect(scrape.sum("sluice_requests_total") == 0)
        #expect(scrape.value("sluice_config_version") == 1)
        #expect(setup.proxy.stop().status == 0)
    }
}

/// A request in flight on the old config when a new one (with the route renamed) goes into
/// service still counts under the route it started on.
@Suite struct MetricsAcrossSwapTests {
    @Test func aRequestInFlightAcrossASwapCountsUnderItsRoute() throws {
        let arrived = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let upstream = try ScriptedUpstreamServer { connection in
            guard connection.readRequest() != nil else { return }
            arrived.signal()
            _ = release.wait(timeout: .now() + 10)
            _ = connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        }
        defer { upstream.stop() }
        func snapshot(version: Int, route: String) -> String {
            """
            {"format": 1, "version": \(version),
             "upstreams": [{"name": "scripted", "targets": [{"url": "http://127.0.0.1:\(upstream.port)"}]}],
             "routes": [{"name": "\(route)", "path_prefix": "/", "upstream": "scripted"}]}
            """
        }
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(snapshot(version: 1, route: "before"))
        let proxy = try RunningProxy(configPath: file.path)
        let client = try TestTCPClient(port: try proxy.proxyPort)
        defer { client.close() }
        try client.send("GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(arrived.wait(timeout: .now() + 5) == .success)

        try file.write(snapshot(version: 2, route: "after"))
        proxy.signal(SIGHUP)
        let scrape = { try PrometheusScrape(parsing: try proxy.admin("/metrics").bodyText) }
        #expect(try eventually { try scrape().value("sluice_config_version") == 2 })
        release.signal()
        #expect(try client.readResponse().status == 200)

        let after = try scrape()
        #expect(after.value("sluice_requests_total", ["route": "before", "method": "GET", "status_class": "2xx"]) == 1)
        #expect(after.sum("sluice_requests_total", matching: ["route": "after"]) == 0)
        #expect(after.value("sluice_upstream_duration_seconds_count", ["upstream": "scripted"]) == 1)
        #expect(proxy.stop().status == 0)
    }
}

/// Polls `condition` (every 10 ms, up to 5 s) for state another process reaches asynchronously.
func eventually(_ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// A listener that completes TCP handshakes but never reads or answers.
enum ScriptedSilentListener {
    static func make() throws -> ScriptedFullBacklogListener { try ScriptedFullBacklogListener() }
}
