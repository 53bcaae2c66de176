import Foundation
import SluiceTestSupport
import Testing

/// SIGHUP re-reads `--config`: a valid file goes into service, an invalid one is refused with its
/// problems in `/status` and on stderr while the old config keeps serving.
@Suite struct ReloadTests {
    @Test func validReloadChangesTheVersion() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1))
        let proxy = try RunningProxy(configPath: file.path)
        let before = try proxy.adminJSON("/status")
        #expect(before["version"] as? Int == 1)

        try file.write(SnapshotFile.valid(version: 2, extraPrefix: "/v2"))
        proxy.signal(SIGHUP)
        let after = try proxy.waitForStatus { $0["version"] as? Int == 2 }
        #expect(after["version"] as? Int == 2)
        #expect(after["generation"] as? Int == 2)
        #expect(after["last_error"] is NSNull)
        #expect(try proxy.adminJSON("/ready")["version"] as? Int == 2)

        // Same version again: still a reload (the generation tells them apart).
        proxy.signal(SIGHUP)
        let again = try proxy.waitForStatus { $0["generation"] as? Int == 3 }
        #expect(again["generation"] as? Int == 3)
        #expect(again["version"] as? Int == 2)

        let stopped = proxy.stop()
        #expect(stopped.status == 0)
        #expect(stopped.standardError.contains("reloaded config version 2"))
    }

    @Test func invalidReloadIsRefusedAndTheOldConfigStays() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1))
        let proxy = try RunningProxy(configPath: file.path)

        try file.write(SnapshotFile.unknownUpstream(version: 5))
        proxy.signal(SIGHUP)
        let refused = try proxy.waitForStatus { !($0["last_error"] is NSNull) }
        #expect(refused["version"] as? Int == 1)
        #expect(refused["generation"] as? Int == 1)
        let lastError = try #require(refused["last_error"] as? [String: Any])
        #expect(isRFC3339UTC(lastError["at"]))
        #expect(lastError["message"] as? String == "1 configuration problem")
        let problems = try #require(lastError["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["pointer"] as? String == "/routes/0/upstream")
        #expect(problems.first?["message"] as? String == "unknown upstream \"missing\"")
        let ready = try proxy.admin("/ready")
        #expect(ready.status == 200, "still ready on the old config")
        #expect(try jsonObject(ready.body)["version"] as? Int == 1)

        // A later valid file goes in and clears last_error.
        try file.write(SnapshotFile.valid(version: 6))
        proxy.signal(SIGHUP)
        let recovered = try proxy.waitForStatus { $0["version"] as? Int == 6 }
        #expect(recovered["version"] as? Int == 6)
        #expect(recovered["last_error"] is NSNull)

        let stopped = proxy.stop()
        #expect(stopped.status == 0)
        let events = try eventLines(stopped.standardError)
        let refusal = try #require(events.first { $0["event"] as? String == "config_refused" })
        #expect(refusal["program"] as? String == "sluice-proxy")
        #expect(refusal["message"] as? String == "reload refused: 1 configuration problem; /routes/0/upstream: unknown upstream \"missing\"")
        let listed = try #require(refusal["problems"] as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["pointer"] as? String == "/routes/0/upstream")
        #expect(listed.first?["message"] as? String == "unknown upstream \"missing\"")
        #expect(events.contains { $0["event"] as? String == "config_applied" && $0["version"] as? Int == 6 })
    }

    @Test func unreadableOrMalformedFileIsRefused() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 3))
        let proxy = try RunningProxy(configPath: file.path)

        try file.write(#"{"format": 1, "version": 4, "upstreams": ["#)
        proxy.signal(SIGHUP)
        let malformed = try proxy.waitForStatus { !($0["last_error"] is NSNull) }
        let syntax = try #require(malformed["last_error"] as? [String: Any])
        let syntaxProblems = try #require(syntax["problems"] as? [[String: Any]])
        #expect(syntaxProblems.first?["pointer"] as? String == "")
        #expect((syntaxProblems.first?["message"] as? String)?.hasPrefix("invalid JSON") == true)
        #expect(malformed["version"] as? Int == 3)

        #expect(unlink(file.path) == 0)
        proxy.signal(SIGHUP)
        let missing = try proxy.waitForStatus {
            (($0["last_error"] as? [String: Any])?["message"] as? String)?.hasPrefix("cannot read") == true
        }
        let missingError = try #require(missing["last_error"] as? [String: Any])
        #expect(missingError["message"] as? String == "cannot read \(file.path): no such file")
        #expect((missingError["problems"] as? [Any])?.isEmpty == true)
        #expect(missing["version"] as? Int == 3)
        #expect(try proxy.admin("/health").status == 200)
        #expect(proxy.stop().status == 0)
    }

    @Test func trafficFollowsAValidReloadAndStaysOnTheOldConfigAfterAnInvalidOne() throws {
        let first = try NamedUpstream(name: "first")
        defer { first.stop() }
        let second = try NamedUpstream(name: "second")
        defer { second.stop() }
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1, upstreamPort: first.port))
        let proxy = try RunningProxy(configPath: file.path)
        let proxyPort = try proxy.proxyPort
        let before = try proxy.request("GET", "/hello?x=1", port: proxyPort)
        #expect(before.status == 200)
        #expect(before.bodyText == "first")

        try file.write(SnapshotFile.valid(version: 2, upstreamPort: second.port))
        proxy.signal(SIGHUP)
        #expect(try proxy.waitForStatus { $0["version"] as? Int == 2 }["version"] as? Int == 2)
        let after = try proxy.request("GET", "/hello", port: proxyPort)
        #expect(after.status == 200)
        #expect(after.bodyText == "second", "requests after the swap go to the new upstream")

        try file.write(SnapshotFile.unknownUpstream(version: 3))
        proxy.signal(SIGHUP)
        let refused = try proxy.waitForStatus { !($0["last_error"] is NSNull) }
        #expect(refused["version"] as? Int == 2)
        let still = try proxy.request("GET", "/hello", port: proxyPort)
        #expect(still.status == 200)
        #expect(still.bodyText == "second", "a refused reload leaves the old config serving")
        #expect(proxy.stop().status == 0)
    }

    /// Reloads land while one keep-alive client sends requests back to back: every request gets a
    /// 200 from one of the two upstreams (none fails or is cut), and the last file wins.
    @Test func reloadsDuringTrafficDropNoRequest() throws {
        let first = try NamedUpstream(name: "first")
        defer { first.stop() }
        let second = try NamedUpstream(name: "second")
        defer { second.stop() }
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 0, upstreamPort: first.port))
        let proxy = try RunningProxy(configPath: file.path)
        let client = try TestTCPClient(port: try proxy.proxyPort)
        var version = 0
        var seen: [String: Int] = [:]
        for request in 1...400 {
            if request % 20 == 0 {
                version += 1
                try file.write(SnapshotFile.valid(version: version, upstreamPort: version % 2 == 0 ? first.port : second.port))
                proxy.signal(SIGHUP)
            }
            try client.send("GET /r/\(request) HTTP/1.1\r\nHost: test\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200, "request \(request): \(response.statusLine)")
            seen[response.bodyText, default: 0] += 1
        }
        #expect(Set(seen.keys).isSubset(of: ["first", "second"]))
        #expect(seen.values.reduce(0, +) == 400)
        let status = try proxy.waitForStatus { $0["version"] as? Int == version }
        #expect(status["version"] as? Int == version)
        #expect(status["last_error"] is NSNull)
        // The last file (an even version) routes to `first`.
        #expect(try proxy.request("GET", "/last", port: try proxy.proxyPort).bodyText == (version % 2 == 0 ? "first" : "second"))
        client.close()
        #expect(proxy.stop().status == 0)
    }
}
