import Testing
import SluiceConfig
@testable import SluiceControl

@Suite struct DomainCredentialTests {
    @Test func apiKeysAreShownOnceAndStoredHashed() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        let created = try fixture.store.createAPIKey(consumerID: "acme", actor: "tok_a")
        #expect(created.key.hasPrefix("sk_"))
        #expect(created.key.count == 46)
        #expect(created.keyID.hasPrefix("key_"))
        #expect(created.key.hasPrefix(created.prefix))
        let stored = try fixture.store.apiKeys(consumerID: "acme")
        #expect(stored.map(\.keyID) == [created.keyID])
        #expect(stored.first?.keyHash == SHA256Digest.hex(created.key))
        #expect(stored.first?.prefix == created.prefix)
        // The raw key is nowhere in the database file or its WAL.
        let bytes = fixture.fileBytes()
        #expect(!bytes.isEmpty)
        let secret = Array(created.key.dropFirst(10).utf8)
        #expect(!contains(bytes, secret))
        #expect(contains(bytes, Array(stored[0].keyHash.utf8)), "sanity: the hash itself is found")
        let other = try fixture.store.createAPIKey(consumerID: "acme", actor: "tok_a")
        #expect(other.key != created.key && other.keyID != created.keyID)
    }

    @Test func apiKeyErrors() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        #expect(storeError { _ = try fixture.store.createAPIKey(consumerID: "ghost", actor: "t") } == .notFound("consumer \"ghost\""))
        let created = try fixture.store.createAPIKey(consumerID: "acme", actor: "t")
        #expect(storeError { try fixture.store.deleteAPIKey(consumerID: "acme", keyID: "key_nope", actor: "t") }
                == .notFound("api key \"key_nope\" of consumer \"acme\""))
        #expect(storeError { try fixture.store.deleteAPIKey(consumerID: "ghost", keyID: created.keyID, actor: "t") }
                == .notFound("consumer \"ghost\""))
        try fixture.store.deleteAPIKey(consumerID: "acme", keyID: created.keyID, actor: "t")
        #expect(try fixture.store.apiKeys().isEmpty)
    }

    @Test func adminTokensVerifyAndAreStoredHashed() throws {
        let fixture = try StoreTestFixture()
        #expect(try fixture.store.adminTokenCount() == 0)
        let first = try fixture.store.createAdminToken(name: "bootstrap")
        let second = try fixture.store.createAdminToken(name: "ci", actor: first.id)
        #expect(try fixture.store.adminTokenCount() == 2)
        #expect(first.token.hasPrefix("sat_") && first.id.hasPrefix("tok_"))
        #expect(try fixture.store.verifyAdminToken(first.token) == first.id)
        #expect(try fixture.store.verifyAdminToken(second.token) == second.id)
        #expect(try fixture.store.verifyAdminToken(first.token + "x") == nil)
        #expect(try fixture.store.verifyAdminToken("") == nil)
        #expect(!contains(fixture.fileBytes(), Array(first.token.dropFirst(4).utf8)))
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, Array(haystack[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}
