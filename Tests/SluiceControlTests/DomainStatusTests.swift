import Testing
import SluiceConfig
@testable import SluiceControl
import SluiceHTTP

@Suite struct DomainStatusTests {
    @Test func dataplaneReportsAreUpserted() throws {
        let fixture = try StoreTestFixture()
        let at = UTCTime(secondsSince1970: 1_795_392_000)
        try fixture.store.recordDataplaneStatus(nodeID: "node-b", hostname: "b.local", appliedVersion: 1, error: nil, at: at)
        try fixture.store.recordDataplaneStatus(nodeID: "node-a", hostname: "a.local", appliedVersion: 0, error: "boom", at: at)
        let later = UTCTime(secondsSince1970: at.secondsSince1970 + 30)
        try fixture.store.recordDataplaneStatus(nodeID: "node-b", hostname: "b2.local", appliedVersion: 2, error: nil, at: later)
        #expect(try fixture.store.dataplanes() == [
            DataplaneRecord(nodeID: "node-a", hostname: "a.local", appliedVersion: 0, lastSeen: at, lastError: "boom"),
            DataplaneRecord(nodeID: "node-b", hostname: "b2.local", appliedVersion: 2, lastSeen: later, lastError: nil),
        ])
    }

    /// A poll refreshes `last_seen` only; the applied version, hostname and error come from status
    /// reports. A node seen only by polls shows applied version 0 (none reported).
    @Test func touchRefreshesLastSeenOnly() throws {
        let fixture = try StoreTestFixture()
        let at = UTCTime(secondsSince1970: 1_795_392_000)
        try fixture.store.touchDataplane(nodeID: "poller", at: at)
        #expect(try fixture.store.dataplanes() == [
            DataplaneRecord(nodeID: "poller", hostname: "", appliedVersion: 0, lastSeen: at, lastError: nil),
        ])
        try fixture.store.recordDataplaneStatus(nodeID: "poller", hostname: "p.local", appliedVersion: 3, error: "late", at: at)
        let later = UTCTime(secondsSince1970: at.secondsSince1970 + 45)
        try fixture.store.touchDataplane(nodeID: "poller", at: later)
        #expect(try fixture.store.dataplanes() == [
            DataplaneRecord(nodeID: "poller", hostname: "p.local", appliedVersion: 3, lastSeen: later, lastError: "late"),
        ])
        #expect(try fixture.store.audit(limit: 10, offset: 0).isEmpty)
    }

    @Test func auditCountCountsRows() throws {
        let fixture = try StoreTestFixture()
        #expect(try fixture.store.auditCount() == 0)
        try fixture.seed()
        let count = try fixture.store.audit(limit: 1000, offset: 0).count
        #expect(count > 0)
        #expect(try fixture.store.auditCount() == count)
    }

    @Test func everyWriteIsAudited() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        let key = try fixture.store.createAPIKey(consumerID: "acme", actor: "tok_k")
        try fixture.store.deleteAPIKey(consumerID: "acme", keyID: key.keyID, actor: "tok_k")
        _ = try fixture.store.replace(.tiers, "gold", json: try json(#"{"name": "gold", "requests_per_second": 3}"#),
                                      ifMatch: nil, actor: "tok_r")
        _ = try fixture.store.publish(comment: "c", actor: "tok_p")
        _ = try fixture.store.rollback(to: 1, actor: "tok_p")
        try fixture.store.delete(.consumers, "acme", ifMatch: nil, actor: "tok_d")
        let token = try fixture.store.createAdminToken(name: "ops", actor: "tok_d")
        // A failed write records nothing.
        _ = storeError { try fixture.store.delete(.tiers, "ghost", ifMatch: nil, actor: "tok_x") }

        let records = try fixture.store.audit(limit: 100, offset: 0)
        #expect(records.map(\.action) == ["create_admin_token", "delete", "rollback", "publish", "replace", "delete_api_key",
                                          "create_api_key", "create", "create", "create", "create"])
        #expect(records.map(\.entityKind) == ["admin-tokens", "consumers", "versions", "versions", "tiers", "api-keys",
                                              "api-keys", "consumers", "routes", "tiers", "upstreams"])
        #expect(records[0].entityID == token.id)
        #expect(records[2].entityID == "2" && records[2].detail == "version 2 from 1")
        #expect(records[4].tokenID == "tok_r" && records[4].entityID == "gold")
        #expect(records.map(\.id) == records.map(\.id).sorted(by: >))
        #expect(try fixture.store.audit(limit: 2, offset: 1).map(\.action) == ["delete", "rollback"])
        #expect(records.allSatisfy { $0.at.secondsSince1970 > 1_700_000_000 })
        // No secret in the audit log.
        #expect(records.allSatisfy { !$0.detail.contains(key.key) && !$0.detail.contains(token.token) })
    }
}
