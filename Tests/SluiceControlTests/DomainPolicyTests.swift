import Testing
import SluiceConfig
@testable import SluiceControl

/// Orgs as a sixth entity kind, and API keys in the working snapshot and published versions.
@Suite struct DomainPolicyTests {
    @Test func orgsHaveTheSameCRUDAsTheOtherKinds() throws {
        let fixture = try StoreTestFixture()
        let created = try fixture.create(.orgs, #"{"requests_per_second": 100, "id": "acme"}"#, actor: "tok_o")
        #expect(String(decoding: JSONWriter.compact(created.json), as: UTF8.self)
                == #"{"id":"acme","requests_per_second":100,"burst":100}"#)
        #expect(try fixture.store.get(.orgs, "acme") == created)
        #expect(storeError { try fixture.create(.orgs, #"{"id": "acme", "requests_per_day": 5}"#) }
                == .conflict(#"org "acme" already exists"#))

        let replaced = try fixture.store.replace(.orgs, "acme", json: try json(#"{"id": "acme", "requests_per_day": 5}"#),
                                                 ifMatch: created.etag, actor: "tok_o")
        #expect(replaced.json["requests_per_day"] == .integer(5) && replaced.json["requests_per_second"] == nil)
        #expect(storeError {
            _ = try fixture.store.replace(.orgs, "acme", json: try json(#"{"id": "acme", "requests_per_day": 6}"#),
                                          ifMatch: created.etag, actor: "t")
        } == .preconditionFailed(#"org "acme" has changed (ETag \#(replaced.etag))"#))
        #expect(try fixture.store.list(.orgs, limit: 10, offset: 0).items.map(\.id) == ["acme"])

        try fixture.store.delete(.orgs, "acme", ifMatch: replaced.etag, actor: "tok_o")
        #expect(try fixture.store.get(.orgs, "acme") == nil)
        let audit = try fixture.store.audit(limit: 10, offset: 0)
        #expect(audit.map(\.action) == ["delete", "replace", "create"])
        #expect(audit.allSatisfy { $0.entityKind == "orgs" && $0.entityID == "acme" && $0.tokenID == "tok_o" })
    }

    @Test func invalidOrgsWriteNothingAndReportPointers() throws {
        let fixture = try StoreTestFixture()
        let error = storeError { try fixture.create(.orgs, #"{"id": "", "burst": 3, "limit": 1}"#) }
        #expect(problems(error) == [
            ConfigProblem(pointer: "/limit", message: "unknown field"),
        ])
        let semantic = storeError { try fixture.create(.orgs, #"{"id": "x", "requests_per_day": 0}"#) }
        #expect(problems(semantic) == [ConfigProblem(pointer: "/requests_per_day", message: "requests_per_day must be ≥ 1")])
        let empty = storeError { try fixture.create(.orgs, #"{"id": "x"}"#) }
        #expect(problems(empty) == [ConfigProblem(
            pointer: "", message: "an org needs at least one limit: requests_per_second, requests_per_minute or requests_per_day")])
        try fixture.create(.orgs, #"{"id": "x", "requests_per_day": 1}"#)
        let wrongKey = storeError {
            _ = try fixture.store.replace(.orgs, "x", json: try json(#"{"id": "y", "requests_per_day": 1}"#), ifMatch: nil, actor: "t")
        }
        #expect(problems(wrongKey) == [ConfigProblem(pointer: "/id", message: #"id "y" does not match "x" in the URL"#)])
        #expect(try fixture.store.list(.orgs, limit: 10, offset: 0).total == 1)
        #expect(try fixture.store.auditCount() == 1)
    }

    @Test func consumerOrgsNeedNoOrgAndOrgsDeleteFreely() throws {
        let fixture = try StoreTestFixture()
        try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 10}"#)
        try fixture.create(.consumers, #"{"id": "c1", "tier": "gold", "org": "nowhere"}"#)
        try fixture.create(.orgs, #"{"id": "acme", "requests_per_minute": 60}"#)
        try fixture.create(.consumers, #"{"id": "c2", "tier": "gold", "org": "acme"}"#)
        #expect(try fixture.store.validateWorking() == [])
        try fixture.store.delete(.orgs, "acme", ifMatch: nil, actor: "t")
        #expect(try fixture.store.get(.consumers, "c2") != nil)
        #expect(try fixture.store.validateWorking() == [])
        // A tier still used by a consumer keeps refusing deletion.
        #expect(storeError { try fixture.store.delete(.tiers, "gold", ifMatch: nil, actor: "t") }
                == .conflict(#"tier "gold" is used by consumer "c1", "c2""#))
    }

    @Test func apiKeysArePartOfTheWorkingSnapshotAndOfVersions() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        try fixture.create(.orgs, #"{"id": "acme-org", "requests_per_second": 5}"#)
        let v1 = try fixture.store.publish(comment: "no keys", actor: "t").version
        #expect(try SnapshotDecoder.decode(v1.snapshotJSON).orgs.map(\.id) == ["acme-org"])

        let key = try fixture.store.createAPIKey(consumerID: "acme", actor: "t")
        let working = try fixture.store.workingSnapshot()
        #expect(working.apiKeys.count == 1)
        let entry = try #require(working.apiKeys.first)
        #expect(entry.id == key.keyID && entry.consumer == "acme")
        // The stored hash is the SHA-256 of the key's bytes, as `printf %s "$KEY" | sha256sum` prints it.
        let hex = String(decoding: JSONWriter.compact(entry.jsonValue["sha256"] ?? .null), as: UTF8.self)
        #expect(hex == "\"" + SHA256Digest.hex(key.key) + "\"")
        #expect(SHA256Digest.hex(key.key).utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        #expect(entry.sha256 == SHA256Digest.hash(Array(key.key.utf8)))

        let v2 = try fixture.store.publish(comment: "a key", actor: "t")
        #expect(v2.created && v2.version.version == 2)
        #expect(try SnapshotDecoder.decode(v2.version.snapshotJSON).apiKeys == working.apiKeys)
        let diff = try fixture.store.diff(2, against: 1)
        #expect(diff.apiKeys.added == [key.keyID] && diff.upstreams.isEmpty)

        try fixture.store.deleteAPIKey(consumerID: "acme", keyID: key.keyID, actor: "t")
        let v3 = try fixture.store.publish(comment: "revoked", actor: "t")
        #expect(v3.created && v3.version.sha256 == v1.sha256)
        #expect(try fixture.store.diff(3, against: 2).apiKeys.removed == [key.keyID])
    }

    @Test func deletingAConsumerTakesItsKeysOutOfTheNextVersion() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        try fixture.create(.consumers, #"{"id": "other", "tier": "gold"}"#)
        _ = try fixture.store.createAPIKey(consumerID: "acme", actor: "t")
        let kept = try fixture.store.createAPIKey(consumerID: "other", actor: "t")
        try fixture.store.delete(.consumers, "acme", ifMatch: nil, actor: "t")
        let snapshot = try fixture.store.workingSnapshot()
        #expect(snapshot.apiKeys.map(\.id) == [kept.keyID])
        #expect(snapshot.validate() == [])
    }

    @Test func rollbackKeepsTodaysKeys() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        let key = try fixture.store.createAPIKey(consumerID: "acme", actor: "t")
        let v1 = try fixture.store.publish(comment: "with key", actor: "t").version
        try fixture.store.deleteAPIKey(consumerID: "acme", keyID: key.keyID, actor: "t")
        try fixture.create(.tiers, #"{"name": "silver", "requests_per_second": 2}"#)
        _ = try fixture.store.publish(comment: "revoked", actor: "t")

        let rolled = try fixture.store.rollback(to: 1, actor: "t")
        let snapshot = try SnapshotDecoder.decode(rolled.snapshotJSON)
        #expect(snapshot.apiKeys.isEmpty)
        #expect(snapshot.tiers.map(\.name) == ["gold"])
        #expect(rolled.sha256 != v1.sha256)
        #expect(rolled.sha256 == ControlPlaneStore.contentHash(snapshot))
        #expect(try fixture.store.publish(comment: "noop", actor: "t").created == false)
    }
}
