import Testing
import SluiceConfig
@testable import SluicePolicy

/// Regression tests from the review of issue #6.
@Suite struct JWTReviewTests {
    /// `kid` is an opaque string matched byte for byte, not by Unicode canonical equivalence.
    @Test func kidIsMatchedByteForByte() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = JWTVerifier(keySet: JWTKeySet(keys: [try JWTFixtures.key(signer, kid: "\u{E9}")]))
        let token = JWTFixtures.mint(signer, kid: "e\u{301}")
        #expect(JWTFixtures.refusal(verifier, token) == .unknownKid)
    }
}

/// Attack vectors the review confirmed refused: ES256 r or s equal to the group order, an empty
/// signature, kid-less algorithm confusion, duplicate members, a string `exp`.
@Suite struct JWTAttackVectorTests {
    static let n256: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51]

    @Test func es256RAndSEqualToTheOrderAreRefused() throws {
        let signer = try JWTFixtures.signer(.es256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        let input = String(token[..<token.lastIndex(of: ".")!])
        let genuine = try #require(Base64URL.decode(String(token[token.index(after: token.lastIndex(of: ".")!)...])))
        for signature in [Self.n256 + Self.n256, Self.n256 + Array(genuine[32...]), Array(genuine[..<32]) + Self.n256,
                          [UInt8](repeating: 0xFF, count: 64)] {
            #expect(JWTFixtures.refusal(verifier, input + "." + Base64URL.encode(signature)) == .badSignature)
        }
    }

    @Test func emptySignatureAndKidlessConfusionAreRefused() throws {
        let hs = try JWTFixtures.signer(.hs256)
        let rs = try JWTFixtures.signer(.rs256)
        let keySet = JWTKeySet(keys: [try JWTFixtures.key(rs, kid: "rs")])
        let verifier = JWTVerifier(keySet: keySet)
        let token = JWTFixtures.mint(hs, kid: nil)          // HS256 without kid, only an RS key configured
        #expect(JWTFixtures.refusal(verifier, token) == .unknownKid)
        let rsToken = JWTFixtures.mint(rs, kid: nil)
        let parts = rsToken.split(separator: ".", omittingEmptySubsequences: false)
        #expect(JWTFixtures.refusal(verifier, "\(parts[0]).\(parts[1]).") == .badSignature)
        // HS256 with the RS key's PEM as the secret and the RS kid.
        let pemSigner = try JWTSigner(secret: Array((rs.publicKeyPEM ?? "").utf8), algorithm: .hs256)
        let confused = pemSigner.token(header: #"{"alg":"HS256","kid":"rs"}"#, payload: #"{"sub":"x"}"#)
        #expect(JWTFixtures.refusal(verifier, confused) == .algMismatch)
        // Duplicate members in header or payload.
        let dup = JWTFixtures.unsignedToken(header: #"{"alg":"RS256","alg":"none"}"#)
        #expect(JWTFixtures.refusal(verifier, dup) == .malformed(.headerJSON))
        // exp as a string.
        let strExp = rs.token(header: #"{"alg":"RS256","kid":"rs"}"#, payload: #"{"exp":"1800000600"}"#)
        #expect(JWTFixtures.refusal(verifier, strExp) == .malformed(.claim(.exp)))
    }
}
