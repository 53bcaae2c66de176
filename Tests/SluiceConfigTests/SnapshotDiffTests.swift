import Testing
import SluiceConfig

@Suite struct SnapshotDiffTests {
    @Test func identicalSnapshotsHaveAnEmptyDiff() throws {
        let example = try ExampleSnapshotTests.example()
        var next = example
        next.version = 9
        let diff = SnapshotDiff(from: example, to: next)
        #expect(diff.isEmpty)
        #expect(diff.fromVersion == 0 && diff.toVersion == 9)
    }

    @Test func reportsAddedRemovedAndChangedFieldsPerKind() throws {
        let old = try ExampleSnapshotTests.example()
        var new = old
        new.version = 2
        new.upstreams[0].targets[1].weight = 5
        new.upstreams.append(UpstreamConfig(name: "billing", targets: [TargetConfig(url: "http://10.0.0.9")]))
        new.routes[1].hosts.append("new.example.com")
        new.routes[1].timeoutMilliseconds = 1
        new.routes.remove(at: 2)
        new.tiers.removeAll { $0.name == "free" }
        new.consumers[0].org = nil
        new.jwtKeys[1].secret = [UInt8](repeating: 9, count: 32)

        let diff = SnapshotDiff(from: old, to: new)
        #expect(diff.upstreams == EntityDiff(identityKey: "name", added: ["billing"], removed: [],
                                              changed: [.init(identity: "users", fields: ["/targets/1/weight"])]))
        #expect(diff.routes.added == [] && diff.routes.removed == ["assets"])
        #expect(diff.routes.changed == [.init(identity: "admin-site", fields: ["/hosts", "/timeout_ms"])])
        #expect(diff.tiers.removed == ["free"] && diff.tiers.changed == [])
        #expect(diff.consumers.changed == [.init(identity: "user-42", fields: ["/org"])])
        #expect(diff.jwtKeys.changed == [.init(identity: "hs-1", fields: ["/secret"])])
        #expect(!diff.isEmpty)

        let json = String(decoding: JSONWriter.compact(diff.jsonValue), as: UTF8.self)
        #expect(json == #"{"from_version":0,"to_version":2,"#
            + #""upstreams":{"added":["billing"],"removed":[],"changed":[{"name":"users","fields":["/targets/1/weight"]}]},"#
            + #""routes":{"added":[],"removed":["assets"],"changed":[{"name":"admin-site","fields":["/hosts","/timeout_ms"]}]},"#
            + #""tiers":{"added":[],"removed":["free"],"changed":[]},"#
            + #""orgs":{"added":[],"removed":[],"changed":[]},"#
            + #""consumers":{"added":[],"removed":[],"changed":[{"id":"user-42","fields":["/org"]}]},"#
            + #""api_keys":{"added":[],"removed":[],"changed":[]},"#
            + #""jwt_keys":{"added":[],"removed":[],"changed":[{"kid":"hs-1","fields":["/secret"]}]}}"#)
        #expect(!json.contains(Array(repeating: "CQkJ", count: 1).joined()))
    }

    @Test func renamingIsARemovalAndAnAddition() {
        let old = Snapshot(tiers: [TierConfig(name: "a", requestsPerSecond: 1)])
        let new = Snapshot(tiers: [TierConfig(name: "b", requestsPerSecond: 1)])
        let diff = SnapshotDiff(from: old, to: new)
        #expect(diff.tiers.added == ["b"] && diff.tiers.removed == ["a"] && diff.tiers.changed.isEmpty)
    }
}
