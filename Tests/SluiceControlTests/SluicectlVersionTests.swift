import Foundation
import SluiceConfig
import SluiceTestSupport
import Testing

/// `sluicectl validate|publish|versions|rollback|dataplanes` end to end against a real `sluice-control`.
@Suite struct SluicectlVersionTests {
    @Test func publishListShowDiffAndRollback() throws {
        let harness = try SluicectlHarness()
        #expect(try harness.run(["upstreams", "create", "--name", "users", "--target", "http://10.0.0.5:8080"]).status == 0)
        #expect(try harness.run(["tiers", "create", "--name", "free", "--rps", "5", "--burst", "10"]).status == 0)
        let valid = try harness.run(["validate"])
        #expect(valid.status == 0)
        #expect(valid.standardOutput == "the working configuration is valid\n")

        let first = try harness.run(["publish", "-m", "first"])
        #expect(first.status == 0, "\(first)")
        #expect(first.standardOutput.hasPrefix("published version 1 (sha256 "))
        let unchanged = try harness.run(["publish", "--message", "again"])
        #expect(unchanged.standardOutput.hasPrefix("nothing changed: version 1 is already the latest"))
        #expect(try harness.run(["tiers", "update", "free", "--burst", "20"]).status == 0)
        #expect(try harness.run(["upstreams", "create", "--name", "orders", "--target", "http://10.0.0.7:8080"]).status == 0)
        let second = try harness.run(["--json", "publish", "-m", "second"])
        #expect(try JSONParser.parse(second.standardOutput)["version"] == .integer(2))

        let list = try harness.run(["versions", "list"])
        #expect(list.status == 0)
        #expect(list.lines.count == 3)
        #expect(list.lines[0].split(separator: " ", omittingEmptySubsequences: true)
                    == ["VERSION", "CREATED", "BY", "KIND", "COMMENT", "SHA256"])
        #expect(list.lines[1].hasPrefix("2 "))
        #expect(list.lines[1].contains(" publish ") && list.lines[1].contains(" second "))
        #expect(list.lines[2].hasPrefix("1 "))
        // Columns line up: each row's KIND starts where the header's does.
        let kindColumn = try #require(list.lines[0].range(of: "KIND")).lowerBound.utf16Offset(in: list.lines[0])
        #expect(list.lines[1].dropFirst(kindColumn).hasPrefix("publish"))

        let show = try harness.run(["versions", "show", "1"])
        #expect(show.status == 0)
        #expect(show.lines.contains("comment:          first"))
        #expect(show.standardOutput.contains("snapshot:\n{"))
        let shown = try JSONParser.parse(try harness.run(["versions", "show", "1", "--json"]).standardOutput)
        #expect(shown["snapshot"]?["upstreams"].map { if case .array(let items) = $0 { items.count } else { -1 } } == 1)

        let diff = try harness.run(["versions", "diff", "2"])
        #expect(diff.status == 0, "\(diff)")
        #expect(diff.lines == ["version 2 against version 1", "+ upstream orders", "~ tier free: /burst"])
        let reverse = try harness.run(["versions", "diff", "1", "--against", "2"])
        #expect(reverse.lines == ["version 1 against version 2", "- upstream orders", "~ tier free: /burst"])
        let diffJSON = try JSONParser.parse(try harness.run(["--json", "versions", "diff", "2", "--against", "1"]).standardOutput)
        #expect(diffJSON["upstreams"]?["added"] == .array([.string("orders")]))

        let rollback = try harness.run(["rollback", "1"])
        #expect(rollback.status == 0, "\(rollback)")
        #expect(rollback.standardOutput == "rolled back: version 3 created from version 1\n")
        let afterRollback = try harness.run(["versions", "list"])
        #expect(afterRollback.lines[1].hasPrefix("3 ") && afterRollback.lines[1].contains("rollback of 1"))
        #expect(try harness.run(["upstreams", "list"]).lines.count == 2)

        let noSuchVersion = try harness.run(["versions", "show", "99"])
        #expect(noSuchVersion.status == 1)
        #expect(noSuchVersion.standardError.hasPrefix("error: 404 "))
        #expect(try harness.run(["rollback", "99"]).status == 1)
    }

    @Test func invalidWorkingConfigurationIsNotPublished() throws {
        let harness = try SluicectlHarness()
        // Two routes matching the same requests are each valid entities, but not together.
        #expect(try harness.run(["upstreams", "create", "--name", "u", "--target", "http://10.0.0.5:8080"]).status == 0)
        #expect(try harness.run(["routes", "create", "--name", "a", "--path-prefix", "/api", "--upstream", "u"]).status == 0)
        #expect(try harness.run(["routes", "create", "--name", "b", "--path-prefix", "/api", "--upstream", "u"]).status == 0)
        for command in [["validate"], ["publish", "-m", "broken"]] {
            let result = try harness.run(command)
            #expect(result.status == 1, "\(command): \(result)")
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.split(separator: "\n").map(String.init)
                        == ["error: 422 invalid configuration",
                            "  /routes/1: route matches the same hosts, path_prefix and methods as /routes/0"])
        }
        #expect(try harness.run(["versions", "list"]).lines.count == 1)
        #expect(try harness.run(["versions", "list", "--json"]).standardOutput.contains("\"total\": 0"))
    }

    @Test func dataplanesTableShowsReportingNodes() throws {
        let harness = try SluicectlHarness()
        #expect(try harness.run(["upstreams", "create", "--name", "u", "--target", "http://10.0.0.5:8080"]).status == 0)
        #expect(try harness.run(["publish", "-m", "one"]).status == 0)
        let empty = try harness.run(["dataplanes"])
        #expect(empty.lines == ["NODE  HOST  APPLIED  BEHIND  STALE  LAST_SEEN  LAST_ERROR"])
        let status = try APITestServer.request(port: harness.port, "POST", "/v1/dataplane/status",
                                               token: SluicectlHarness.dataplaneToken,
                                               body: #"{"node_id": "edge-1", "hostname": "edge-1.local", "applied_version": 1, "error": null}"#)
        #expect(status.status == 204)
        let table = try harness.run(["dataplanes"])
        #expect(table.status == 0, "\(table)")
        #expect(table.lines.count == 2)
        let cells = table.lines[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(Array(cells.prefix(5)) == ["edge-1", "edge-1.local", "1", "no", "no"])
        #expect(cells.last == "-")
        let json = try JSONParser.parse(try harness.run(["dataplanes", "--json"]).standardOutput)
        #expect(json["total"] == .integer(1))
    }
}
