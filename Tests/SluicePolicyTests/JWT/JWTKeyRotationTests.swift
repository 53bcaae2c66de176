import Testing
import SluiceConfig
@testable import SluicePolicy

/// Several keys active at once, selected by kid; a removed key's tokens stop passing.
@Suite struct JWTKeyRotationTests {
    @Test func twoActiveKeysEachVerifyTheirTokens() throws {
        let old = try JWTFixtures.signer(.rs256)
        let new = try JWTFixtures.signer(.es256)
        let keySet = JWTKeySet(keys: [try JWTFixtures.key(old, kid: "2026-10"), try JWTFixtures.key(new, kid: "2026-11")])
        let verifier = JWTVerifier(keySet: keySet)
        #expect(try verifier.verify(JWTFixtures.mint(old, kid: "2026-10"), now: JWTFixtures.now).kid == "2026-10")
        #expect(try verifier.verify(JWTFixtures.mint(new, kid: "2026-11"), now: JWTFixtures.now).kid == "2026-11")
        // A token naming the other key's kid is refused (its alg differs from that key's).
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(new, kid: "2026-10")) == .algMismatch)
    }

    @Test func sameAlgorithmKeysAreSelectedByKid() throws {
        let first = try JWTSigner(generating: .es256)
        let second = try JWTSigner(generating: .es256)
        let keySet = JWTKeySet(keys: [try JWTFixtures.key(first, kid: "a"), try JWTFixtures.key(second, kid: "b")])
        let verifier = JWTVerifier(keySet: keySet)
        #expect(try verifier.verify(JWTFixtures.mint(second, kid: "b"), now: JWTFixtures.now).kid == "b")
        #expect(verifier.signatureVerifications == 1)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(second, kid: "a")) == .badSignature)
    }

    /// Without kid every key of the header's alg is tried, in config order.
    @Test func tokenWithoutKidTriesTheKeysOfItsAlgorithm() throws {
        let first = try JWTSigner(generating: .es256)
        let second = try JWTSigner(generating: .es256)
        let other = try JWTFixtures.signer(.hs256)
        let keySet = JWTKeySet(keys: [try JWTFixtures.key(other, kid: "h"), try JWTFixtures.key(first, kid: "a"),
                                      try JWTFixtures.key(second, kid: "b")])
        let verifier = JWTVerifier(keySet: keySet)
        #expect(try verifier.verify(JWTFixtures.mint(second, kid: nil), now: JWTFixtures.now).kid == "b")
        #expect(verifier.signatureVerifications == 2)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(try JWTSigner(generating: .es256), kid: nil)) == .badSignature)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(try JWTFixtures.signer(.rs256), kid: nil)) == .unknownKid)
    }

    @Test func removedKeysTokensStopPassingEvenWhenCached() throws {
        let old = try JWTFixtures.signer(.rs256)
        let new = try JWTFixtures.signer(.ps256)
        let both = JWTKeySet(keys: [try JWTFixtures.key(old, kid: "old"), try JWTFixtures.key(new, kid: "new")])
        let verifier = JWTVerifier(keySet: both)
        let oldToken = JWTFixtures.mint(old, kid: "old")
        let newToken = JWTFixtures.mint(new, kid: "new")
        _ = try verifier.verify(oldToken, now: JWTFixtures.now)
        _ = try verifier.verify(newToken, now: JWTFixtures.now)
        verifier.replaceKeySet(both)   // the same set: the cache stays
        _ = try verifier.verify(oldToken, now: JWTFixtures.now)
        #expect(verifier.cacheHits == 1)
        verifier.replaceKeySet(JWTKeySet(keys: [try JWTFixtures.key(new, kid: "new")]))
        #expect(JWTFixtures.refusal(verifier, oldToken) == .unknownKid)
        #expect(JWTFixtures.refusal(verifier, newToken) == nil)
        #expect(verifier.signatureVerifications == 3)
    }
}
