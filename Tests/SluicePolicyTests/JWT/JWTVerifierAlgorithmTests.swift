import Testing
import SluiceConfig
@testable import SluicePolicy

/// Tokens minted with OpenSSL for every algorithm verify with the key as PEM (or secret) and as
/// a JWK, and a changed payload or signature is refused.
@Suite struct JWTVerifierAlgorithmTests {
    @Test(arguments: JWTAlgorithm.allCases)
    func mintedTokenVerifiesWithPEMOrSecret(_ algorithm: JWTAlgorithm) throws {
        let signer = try JWTFixtures.signer(algorithm)
        let verifier = try JWTFixtures.verifier(signer)
        let verified = try verifier.verify(JWTFixtures.mint(signer), now: JWTFixtures.now)
        #expect(verified.subject == "user-42")
        #expect(verified.kid == "k1")
        #expect(verified.expiration == 1_800_000_600)
        #expect(verifier.signatureVerifications == 1)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func mintedTokenVerifiesWithJWK(_ algorithm: JWTAlgorithm) throws {
        let signer = try JWTFixtures.signer(algorithm)
        let jwk = try #require(signer.publicJWK)
        let key = JWTKey(kid: "jwk", material: try .jwk(jwk, algorithm: algorithm, kid: "jwk"))
        let verifier = JWTVerifier(keySet: JWTKeySet(keys: [key]))
        #expect(try verifier.verify(JWTFixtures.mint(signer, kid: "jwk"), now: JWTFixtures.now).kid == "jwk")
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func changedPayloadOrSignatureIsRefused(_ algorithm: JWTAlgorithm) throws {
        let signer = try JWTFixtures.signer(algorithm)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        let parts = token.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array(#"{"sub":"admin","exp":1800000600}"#.utf8))
        #expect(JWTFixtures.refusal(verifier, parts[0] + "." + otherPayload + "." + parts[2]) == .badSignature)
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[signature.count / 2] ^= 0x01
        #expect(JWTFixtures.refusal(verifier, parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)) == .badSignature)
    }

    /// A token signed by another key of the same algorithm is refused.
    @Test(arguments: [JWTAlgorithm.hs256, .rs256, .ps256, .es256, .edDSA])
    func anotherKeysSignatureIsRefused(_ algorithm: JWTAlgorithm) throws {
        let verifier = try JWTFixtures.verifier(try JWTFixtures.signer(algorithm))
        let stranger = try JWTSigner(generating: algorithm)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(stranger)) == .badSignature)
    }

    /// PS256 signatures are randomized (PSS salt): two signatures of one input differ, both verify.
    @Test func pssSignaturesAreSaltedAndBothVerify() throws {
        let signer = try JWTFixtures.signer(.ps256)
        let first = JWTFixtures.mint(signer)
        let second = JWTFixtures.mint(signer)
        #expect(first != second)
        let verifier = try JWTFixtures.verifier(signer)
        _ = try verifier.verify(first, now: JWTFixtures.now)
        _ = try verifier.verify(second, now: JWTFixtures.now)
        #expect(verifier.signatureVerifications == 2)
    }
}
