import Testing
import SluiceConfig
@testable import SluicePolicy

/// The verified-token cache: hits cost no signature check, entries never outlive exp, a changed
/// token never hits, the LRU is bounded, and a new key set empties it.
@Suite struct JWTVerifierCacheTests {
    @Test func secondVerifyIsACacheHit() throws {
        let signer = try JWTFixtures.signer(.rs256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        let first = try verifier.verify(token, now: JWTFixtures.now)
        let second = try verifier.verify(token, now: JWTFixtures.now + 1)
        #expect(first === second)
        #expect(verifier.signatureVerifications == 1)
        #expect(verifier.cacheHits == 1)
    }

    @Test func entryIsNotServedAtOrPastExp() throws {
        let signer = try JWTFixtures.signer(.es256)
        let verifier = try JWTFixtures.verifier(signer, leeway: 30)
        let token = JWTFixtures.mint(signer, claims: #"{"sub":"u","exp":1800000600}"#)
        _ = try verifier.verify(token, now: 1_800_000_590)
        _ = try verifier.verify(token, now: 1_800_000_599)
        #expect(verifier.signatureVerifications == 1)
        // At exp the cache no longer serves it; the leeway lets a full verification accept it.
        _ = try verifier.verify(token, now: 1_800_000_600)
        #expect(verifier.signatureVerifications == 2)
        #expect(verifier.cacheHits == 1)
        _ = try verifier.verify(token, now: 1_800_000_610)
        #expect(verifier.signatureVerifications == 3)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_800_000_630) == .expired)
    }

    @Test func entryIsNotServedBeforeNbf() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, leeway: 30)
        let token = JWTFixtures.mint(signer, claims: #"{"nbf":1800000000,"exp":1800000600}"#)
        _ = try verifier.verify(token, now: 1_800_000_000 - 10)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_800_000_000 - 40) == .notYetValid)
        #expect(verifier.signatureVerifications == 2)
    }

    @Test func tamperedTokenWithTheSamePrefixIsNotServed() throws {
        let signer = try JWTFixtures.signer(.rs256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        _ = try verifier.verify(token, now: JWTFixtures.now)
        var bytes = Array(token.utf8)
        let middle = bytes.count - 100
        bytes[middle] = bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: JWTError.badSignature) { try verifier.verify(bytes, now: JWTFixtures.now) }
        // A longer token starting with the cached one (one more signature byte) is not a hit either.
        #expect(throws: JWTError.badSignature) { try verifier.verify(token + "A", now: JWTFixtures.now) }
        #expect(verifier.signatureVerifications == 3)
        #expect(verifier.cacheHits == 0)
    }

    /// The cache's lookup key covers the signature's tail: a token that keeps a cached token's
    /// signature but changes its payload finds that entry and must still not be served.
    @Test func sameSignatureWithAnotherPayloadIsNotServed() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer, claims: #"{"sub":"user-1"}"#)
        _ = try verifier.verify(token, now: JWTFixtures.now)
        let parts = token.split(separator: ".").map(String.init)
        // Same length and tail as the cached token: the fingerprint matches, the bytes do not.
        let sameLength = parts[0] + "." + Base64URL.encode(Array(#"{"sub":"user-2"}"#.utf8)) + "." + parts[2]
        #expect(sameLength.utf8.count == token.utf8.count)
        #expect(VerifiedTokenCache.fingerprint(of: sameLength) == VerifiedTokenCache.fingerprint(of: token))
        #expect(JWTFixtures.refusal(verifier, sameLength) == .badSignature)
        let longer = parts[0] + "." + Base64URL.encode(Array(#"{"sub":"user-1" }"#.utf8)) + "." + parts[2]
        #expect(JWTFixtures.refusal(verifier, longer) == .badSignature)
        #expect(verifier.cacheHits == 0)
        #expect(verifier.signatureVerifications == 3)
    }

    @Test func storedBytesAreBounded() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let tokens = (0..<10).map { JWTFixtures.mint(signer, claims: #"{"sub":"user-\#($0)"}"#) }
        let size = tokens[0].utf8.count
        let verifier = JWTVerifier(keySet: try JWTFixtures.verifier(signer).keySet, cacheCapacity: 100,
                                   maximumCachedBytes: 3 * size + size / 2)
        for token in tokens { _ = try verifier.verify(token, now: JWTFixtures.now) }
        #expect(verifier.cache.count == 3)
        #expect(verifier.cache.storedBytes == 3 * size)
        _ = try verifier.verify(tokens[9], now: JWTFixtures.now)
        #expect(verifier.cacheHits == 1)
        // A token larger than the whole budget is verified but not cached.
        let tiny = JWTVerifier(keySet: verifier.keySet, maximumCachedBytes: 10)
        _ = try tiny.verify(tokens[0], now: JWTFixtures.now)
        _ = try tiny.verify(tokens[0], now: JWTFixtures.now)
        #expect(tiny.signatureVerifications == 2)
    }

    @Test func refusedTokensAreNotCached() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, issuer: "https://id.example")
        let token = JWTFixtures.mint(signer, claims: #"{"iss":"https://evil.example"}"#)
        #expect(JWTFixtures.refusal(verifier, token) == .wrongIssuer)
        #expect(JWTFixtures.refusal(verifier, token) == .wrongIssuer)
        #expect(verifier.signatureVerifications == 2)
        #expect(verifier.cache.count == 0)
    }

    @Test func leastRecentlyUsedEntryIsEvictedAtCapacity() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, cacheCapacity: 2)
        let tokens = (1...3).map { JWTFixtures.mint(signer, claims: #"{"sub":"user-\#($0)"}"#) }
        _ = try verifier.verify(tokens[0], now: JWTFixtures.now)
        _ = try verifier.verify(tokens[1], now: JWTFixtures.now)
        _ = try verifier.verify(tokens[0], now: JWTFixtures.now)   // 0 becomes most recent
        _ = try verifier.verify(tokens[2], now: JWTFixtures.now)   // evicts 1
        #expect(verifier.signatureVerifications == 3)
        #expect(verifier.cache.count == 2)
        _ = try verifier.verify(tokens[0], now: JWTFixtures.now)
        _ = try verifier.verify(tokens[2], now: JWTFixtures.now)
        #expect(verifier.signatureVerifications == 3)
        _ = try verifier.verify(tokens[1], now: JWTFixtures.now)
        #expect(verifier.signatureVerifications == 4)
        #expect(verifier.cache.count == 2)
    }

    @Test func manyDistinctTokensKeepTheCacheBounded() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, cacheCapacity: 64)
        for index in 0..<500 {
            _ = try verifier.verify(JWTFixtures.mint(signer, claims: #"{"sub":"user-\#(index)","exp":1800000600}"#), now: JWTFixtures.now)
        }
        #expect(verifier.cache.count == 64)
        #expect(verifier.signatureVerifications == 500)
    }

    /// Parsed headers are remembered by their exact bytes, a few at most; a refused header is not.
    @Test func recentHeadersAreBoundedAndOnlyValidOnesKept() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, cacheCapacity: 0)
        for index in 0..<20 {
            #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, kid: "kid-\(index)")) == .unknownKid)
        }
        #expect(verifier.recentHeaders.count == JWTVerifier.recentHeaderCapacity)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":"none"}"#)) == .algNone)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":"none"}"#)) == .algNone)
        #expect(!verifier.recentHeaders.contains { $0.header.kid == nil })
        let token = JWTFixtures.mint(signer)
        _ = try verifier.verify(token, now: JWTFixtures.now)
        _ = try verifier.verify(token, now: JWTFixtures.now)
        #expect(verifier.recentHeaders.last?.header.kid == "k1")
        #expect(verifier.recentHeaders.filter { $0.header.kid == "k1" }.count == 1)
    }

    @Test func capacityZeroDisablesCaching() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, cacheCapacity: 0)
        let token = JWTFixtures.mint(signer)
        _ = try verifier.verify(token, now: JWTFixtures.now)
        _ = try verifier.verify(token, now: JWTFixtures.now)
        #expect(verifier.signatureVerifications == 2)
    }
}
