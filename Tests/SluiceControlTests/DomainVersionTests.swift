import Synchronization
import Testing
import SluiceConfig
@testable import SluiceControl

@Suite struct DomainVersionTests {
    @Test func publishesNumberedVersionsAndSkipsUnchangedContent() throws {
        let fixture = try StoreTestFixture()
        #expect(try fixture.store.latestVersion() == 0)
        try fixture.seed()
        let first = try fixture.store.publish(comment: "first", actor: "tok_a")
        #expect(first.created)
        #expect(first.version.version == 1)
        #expect(first.version.kind == .publish)
        #expect(first.version.createdBy == "tok_a")
        #expect(first.version.comment == "first")
        let snapshot = try SnapshotDecoder.decodeAndValidate(first.version.snapshotJSON)
        #expect(snapshot.version == 1)
        #expect(snapshot.routes.map(\.name) == ["users-api"])
        var unnumbered = snapshot
        unnumbered.version = 0
        #expect(first.version.sha256 == SHA256Digest.hex(unnumbered.canonicalJSON()))

        let unchanged = try fixture.store.publish(comment: "again", actor: "tok_b")
        #expect(!unchanged.created)
        #expect(unchanged.version == first.version)
        #expect(try fixture.store.latestVersion() == 1)

        try fixture.create(.tiers, #"{"name": "silver", "requests_per_second": 2}"#)
        let second = try fixture.store.publish(comment: "", actor: "tok_a")
        #expect(second.created && second.version.version == 2)
        #expect(second.version.sha256 != first.version.sha256)
        #expect(try fixture.store.versions(limit: 10, offset: 0).map(\.version) == [2, 1])
        #expect(try fixture.store.versions(limit: 1, offset: 1).map(\.version) == [1])
        #expect(try fixture.store.versions(limit: 10, offset: 0).allSatisfy { $0.snapshotJSON.isEmpty })
        #expect(try fixture.store.versionCount() == 2)
        #expect(try fixture.store.version(2) == second.version)
        #expect(try fixture.store.version(3) == nil)
    }

    @Test func anInvalidWorkingConfigurationIsNotPublished() throws {
        let fixture = try StoreTestFixture()
        try fixture.create(.upstreams, #"{"name": "u", "targets": [{"url": "http://127.0.0.1:1"}]}"#)
        try fixture.create(.routes, #"{"name": "a", "path_prefix": "/x", "upstream": "u"}"#)
        try fixture.create(.routes, #"{"name": "b", "path_prefix": "/x", "upstream": "u", "auth": "jwt"}"#)
        let expected = try fixture.store.validateWorking()
        #expect(expected.map(\.pointer).sorted() == ["/routes/1", "/routes/1/auth"])
        let error = storeError { _ = try fixture.store.publish(comment: "broken", actor: "t") }
        #expect(problems(error) == expected)
        #expect(try fixture.store.latestVersion() == 0)
        #expect(try fixture.store.audit(limit: 10, offset: 0).allSatisfy { $0.action != "publish" })
    }

    @Test func diffsVersions() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        _ = try fixture.store.publish(comment: "1", actor: "t")
        try fixture.create(.tiers, #"{"name": "silver", "requests_per_second": 2}"#)
        _ = try fixture.store.replace(.upstreams, "users",
                                      json: try json(#"{"name": "users", "targets": [{"url": "http://127.0.0.1:9002"}]}"#),
                                      ifMatch: nil, actor: "t")
        _ = try fixture.store.publish(comment: "2", actor: "t")
        let diff = try fixture.store.diff(2, against: 1)
        #expect(diff.fromVersion == 1 && diff.toVersion == 2)
        #expect(diff.tiers.added == ["silver"])
        #expect(diff.upstreams.changed.map(\.identity) == ["users"])
        #expect(diff.routes.isEmpty)
        #expect(storeError { _ = try fixture.store.diff(2, against: 9) } == .notFound("version 9"))
        #expect(storeError { _ = try fixture.store.diff(9, against: 1) } == .notFound("version 9"))
    }

    @Test func rollbackPublishesTheOldContentAndResetsTheWorkingConfiguration() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        let key = try fixture.store.createAPIKey(consumerID: "acme", actor: "t")
        let v1 = try fixture.store.publish(comment: "one", actor: "t").version
        try fixture.create(.upstreams, #"{"name": "orders", "targets": [{"url": "http://127.0.0.1:9003"}]}"#)
        try fixture.create(.routes, #"{"name": "orders-api", "path_prefix": "/orders", "upstream": "orders"}"#)
        try fixture.store.delete(.routes, "users-api", ifMatch: nil, actor: "t")
        _ = try fixture.store.replace(.tiers, "gold", json: try json(#"{"name": "gold", "requests_per_second": 99}"#),
                                      ifMatch: nil, actor: "t")
        _ = try fixture.store.publish(comment: "two", actor: "t")

        let rolled = try fixture.store.rollback(to: 1, actor: "tok_r")
        #expect(rolled.version == 3)
        #expect(rolled.kind == .rollback)
        #expect(rolled.rolledBackFrom == 1)
        #expect(rolled.createdBy == "tok_r")
        #expect(rolled.sha256 == v1.sha256)
        var expected = try SnapshotDecoder.decode(v1.snapshotJSON)
        expected.version = 3
        #expect(try SnapshotDecoder.decode(rolled.snapshotJSON) == expected)
        // The working configuration is version 1's again (same order), so publishing changes nothing.
        var working = try fixture.store.workingSnapshot()
        working.version = 3
        #expect(working == expected)
        #expect(try fixture.store.get(.routes, "orders-api") == nil)
        #expect(try fixture.store.get(.upstreams, "orders") == nil)
        #expect(try fixture.store.publish(comment: "noop", actor: "t").created == false)
        // A consumer present in both versions keeps its API keys.
        #expect(try fixture.store.apiKeys(consumerID: "acme").map(\.keyID) == [key.keyID])
        #expect(try fixture.store.versions(limit: 10, offset: 0).map(\.version) == [3, 2, 1])
        #expect(storeError { _ = try fixture.store.rollback(to: 7, actor: "t") } == .notFound("version 7"))
        #expect(try fixture.store.latestVersion() == 3)
        #expect(try fixture.store.integrityCheck())
    }

    @Test func publishListenersHearNewVersionsOnly() throws {
        let fixture = try StoreTestFixture()
        let heard = Mutex<[Int]>([])
        fixture.store.addPublishListener { record in heard.withLock { $0.append(record.version) } }
        try fixture.seed()
        _ = try fixture.store.publish(comment: "", actor: "t")
        _ = try fixture.store.publish(comment: "", actor: "t")
        _ = try fixture.store.rollback(to: 1, actor: "t")
        #expect(heard.withLock { $0 } == [1, 2])
    }

    @Test func versionsSurviveReopening() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        let published = try fixture.store.publish(comment: "kept", actor: "t").version
        fixture.store.close()
        let reopened = try ControlPlaneStore(path: fixture.path)
        defer { reopened.close() }
        #expect(try reopened.version(1) == published)
        #expect(try reopened.get(.consumers, "acme") != nil)
        #expect(try reopened.integrityCheck())
    }
}
