import Testing
import SluiceConfig
@testable import SluicePolicy

/// exp/nbf with leeway, iss, aud, claim types, and claims as header text.
@Suite struct JWTVerifierClaimsTests {
    static let exp = 1_800_000_600.0

    func verifier(leeway: Int = 30, issuer: String? = nil, audiences: [String] = []) throws -> (JWTSigner, JWTVerifier) {
        let signer = try JWTFixtures.signer(.hs256)
        return (signer, try JWTFixtures.verifier(signer, issuer: issuer, audiences: audiences, leeway: leeway, cacheCapacity: 0))
    }

    @Test func expIsCheckedWithLeeway() throws {
        let (signer, verifier) = try verifier(leeway: 30)
        let token = JWTFixtures.mint(signer, claims: #"{"exp":1800000600}"#)
        #expect(JWTFixtures.refusal(verifier, token, now: Self.exp - 1) == nil)
        #expect(JWTFixtures.refusal(verifier, token, now: Self.exp + 29.9) == nil)
        #expect(JWTFixtures.refusal(verifier, token, now: Self.exp + 30) == .expired)
        let (_, strict) = try self.verifier(leeway: 0)
        #expect(JWTFixtures.refusal(strict, token, now: Self.exp - 0.5) == nil)
        #expect(JWTFixtures.refusal(strict, token, now: Self.exp) == .expired)
    }

    @Test func nbfIsCheckedWithLeeway() throws {
        let (signer, verifier) = try verifier(leeway: 30)
        let token = JWTFixtures.mint(signer, claims: #"{"nbf":1800000000,"exp":1800000600}"#)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_800_000_000) == nil)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_800_000_000 - 30) == nil)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_800_000_000 - 30.5) == .notYetValid)
        let (_, strict) = try self.verifier(leeway: 0)
        #expect(JWTFixtures.refusal(strict, token, now: 1_799_999_999.9) == .notYetValid)
    }

    @Test func numericDatesMayHaveFractions() throws {
        let (signer, verifier) = try verifier(leeway: 0)
        let token = JWTFixtures.mint(signer, claims: #"{"exp":1800000000.5,"nbf":1.7999999995e9}"#)
        #expect(try verifier.verify(token, now: 1_800_000_000.25).expiration == 1_800_000_000.5)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_800_000_000.5) == .expired)
        #expect(JWTFixtures.refusal(verifier, token, now: 1_799_999_999) == .notYetValid)
    }

    /// exp is optional (RFC 7519 §4.1.4): without it a token is accepted at any time.
    @Test func tokenWithoutExpIsAccepted() throws {
        let (signer, verifier) = try verifier()
        let token = JWTFixtures.mint(signer, claims: #"{"sub":"service"}"#)
        #expect(try verifier.verify(token, now: 4_000_000_000).expiration == nil)
    }

    @Test func registeredClaimsOfTheWrongTypeAreMalformed() throws {
        let (signer, verifier) = try verifier(issuer: "https://id.example", audiences: ["api"])
        let cases: [(String, JWTError.RegisteredClaim)] = [
            (#"{"exp":"1800000600"}"#, .exp), (#"{"exp":null}"#, .exp), (#"{"exp":true}"#, .exp),
            (#"{"nbf":[1]}"#, .nbf), (#"{"iss":1}"#, .iss), (#"{"sub":42}"#, .sub),
            (#"{"aud":1}"#, .aud), (#"{"aud":["api",1]}"#, .aud), (#"{"aud":{"a":"api"}}"#, .aud),
        ]
        for (claims, claim) in cases {
            #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: claims)) == .malformed(.claim(claim)), "\(claims)")
        }
    }

    @Test func issuerMustMatchWhenConfigured() throws {
        let (signer, verifier) = try verifier(issuer: "https://id.example")
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"iss":"https://id.example"}"#)) == nil)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"iss":"https://evil.example"}"#)) == .wrongIssuer)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"iss":"https://id.example/"}"#)) == .wrongIssuer)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: "{}")) == .wrongIssuer)
        // Without a configured issuer, any iss passes.
        let (_, open) = try self.verifier()
        #expect(JWTFixtures.refusal(open, JWTFixtures.mint(signer, claims: #"{"iss":"anyone"}"#)) == nil)
    }

    @Test func audienceMustNameOneOfTheKeysWhenConfigured() throws {
        let (signer, verifier) = try verifier(audiences: ["api", "web"])
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"aud":"web"}"#)) == nil)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"aud":["other","api"]}"#)) == nil)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"aud":"Api"}"#)) == .wrongAudience)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"aud":["other"]}"#)) == .wrongAudience)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: #"{"aud":[]}"#)) == .wrongAudience)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(signer, claims: "{}")) == .wrongAudience)
    }

    @Test func claimsBecomeHeaderTextOnlyWhenSafe() throws {
        let (signer, verifier) = try verifier()
        let claims = #"{"email":"a@example.com","n":42,"f":1.5,"b":false,"crlf":"x\r\nSet-Cookie: a=b","tab":"a\tb","del":"a\u007fb","o":{"a":1},"l":[1],"z":null,"e":"","u":"Zoë"}"#
        let verified = try verifier.verify(JWTFixtures.mint(signer, claims: claims), now: JWTFixtures.now)
        #expect(verified.headerValue(forClaim: "email") == "a@example.com")
        #expect(verified.headerValue(forClaim: "n") == "42")
        #expect(verified.headerValue(forClaim: "f") == "1.5")
        #expect(verified.headerValue(forClaim: "b") == "false")
        #expect(verified.headerValue(forClaim: "u") == "Zoë")
        for unsafe in ["crlf", "tab", "del", "o", "l", "z", "e", "missing"] {
            #expect(verified.headerValue(forClaim: unsafe) == nil, "\(unsafe)")
        }
        #expect(verified.claim("o") == .object([.init("a", .integer(1))]))
    }
}
