import Testing
import SluiceConfig
@testable import SluicePolicy

/// JWK and secret loading: what is refused, and that the error says what and where.
@Suite struct JWTKeyMaterialTests {
    static let p256 = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#

    func refusal(_ jwk: String, _ algorithm: JWTAlgorithm, kid: String? = nil) -> JWTKeyError.Kind? {
        do {
            _ = try JWTKeyMaterial.jwk(try JSONParser.parse(jwk), algorithm: algorithm, kid: kid)
            return nil
        } catch let error as JWTKeyError {
            return error.kind
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    func jwkText(_ signer: JWTSigner, adding extra: [JSONValue.Member] = [], replacing name: String? = nil,
                 with value: JSONValue? = nil) throws -> String {
        guard case .object(var members)? = signer.publicJWK else { throw JWTFixtures.MissingSigner() }
        if let name, let value, let index = members.firstIndex(where: { $0.key == name }) { members[index].value = value }
        members += extra
        return String(decoding: JSONWriter.compact(.object(members)), as: UTF8.self)
    }

    @Test func privateMembersAreRefused() throws {
        let rsa = try JWTFixtures.signer(.rs256)
        for member in ["d", "p", "q", "dp", "dq", "qi", "oth"] {
            #expect(refusal(try jwkText(rsa, adding: [.init(member, .string("AQAB"))]), .rs256) == .privateMember(member))
        }
        let ec = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#
        #expect(refusal(ec, .es256) == .privateMember("d"))
    }

    @Test func keyTypeMustFitTheAlgorithm() throws {
        #expect(refusal(Self.p256, .rs256) == .wrongKeyType(expected: "an RSA key"))
        #expect(refusal(Self.p256, .edDSA) == .wrongKeyType(expected: "an Ed25519 key"))
        #expect(refusal(Self.p256, .hs256) == .wrongKeyType(expected: "an oct JWK (a shared secret)"))
        #expect(refusal(try jwkText(try JWTFixtures.signer(.rs256)), .es256) == .wrongKeyType(expected: "an EC key"))
        #expect(refusal(#"{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, .edDSA)
                == .wrongKeyType(expected: "an Ed25519 key"))
    }

    @Test func curveMustBeTheAlgorithms() throws {
        #expect(refusal(Self.p256, .es384) == .wrongSize(expected: "a key on the P-384 curve"))
        #expect(refusal(try jwkText(try JWTFixtures.signer(.es512)), .es256) == .wrongSize(expected: "a key on the P-256 curve"))
    }

    @Test func pointOffTheCurveIsRefused() throws {
        // The RFC's P-256 key with y changed in its last byte.
        let offCurve = Self.p256.replacing("KIWI5a0", with: "KIWI5a4")
        #expect(refusal(offCurve, .es256) == .notOnCurve)
    }

    @Test func coordinatesMustHaveTheCurvesLength() throws {
        let short = Self.p256.replacing("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", with: "J3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
        #expect(refusal(short, .es256) == .invalidMember("x", expected: "exactly 32 bytes"))
        // 42 characters: the last one carries unused bits that are not zero.
        #expect(refusal(#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}"#, .edDSA)
                == .invalidMember("x", expected: "non-empty base64url without padding"))
    }

    @Test func weakRSAIsRefused() throws {
        let weak = try JWTSigner(generating: .rs256, rsaBits: 1024)
        #expect(refusal(try jwkText(weak), .rs256) == .wrongSize(expected: "an RSA key of at least 2048 bits"))
        #expect(throws: JWTKeyError.self) { try JWTKeyMaterial.publicKeyPEM(weak.publicKeyPEM ?? "", algorithm: .ps256) }
    }

    @Test func badBase64URLIsRefusedNamingTheMember() throws {
        let rsa = try JWTFixtures.signer(.rs256)
        #expect(refusal(try jwkText(rsa, replacing: "e", with: .string("AQAB=")), .rs256)
                == .invalidMember("e", expected: "non-empty base64url without padding"))
        #expect(refusal(try jwkText(rsa, replacing: "n", with: .string("a+b/")), .rs256)
                == .invalidMember("n", expected: "non-empty base64url without padding"))
        #expect(refusal(try jwkText(rsa, replacing: "n", with: .string("")), .rs256)
                == .invalidMember("n", expected: "non-empty base64url without padding"))
        #expect(refusal(try jwkText(rsa, replacing: "n", with: .integer(65537)), .rs256) == .invalidMember("n", expected: "a string"))
        // An even exponent is not an RSA public key: OpenSSL's public-key check refuses it.
        #expect(refusal(try jwkText(rsa, replacing: "e", with: .string("AQAA")), .rs256) == .unreadable)
    }

    @Test func missingMembersAreNamed() throws {
        #expect(refusal(#"{"kty":"RSA","e":"AQAB"}"#, .rs256) == .missingMember("n"))
        #expect(refusal(#"{"crv":"P-256"}"#, .es256) == .missingMember("kty"))
        #expect(refusal(#"{"kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}"#, .es256) == .missingMember("crv"))
        #expect(refusal(#"{"kty":"oct"}"#, .hs256) == .missingMember("k"))
        #expect(refusal(#""RSA""#, .rs256) == .invalidMember("jwk", expected: "a JSON object"))
    }

    @Test func algKidUseAndKeyOpsMustAgree() throws {
        let withAlg = Self.p256.replacing("{", with: #"{"alg":"ES256","kid":"k1","use":"sig","key_ops":["verify"],"#)
        #expect(refusal(withAlg, .es256, kid: "k1") == nil)
        #expect(refusal(withAlg, .es256, kid: "k2") == .conflictingMember("kid"))
        #expect(refusal(Self.p256.replacing("{", with: #"{"alg":"ES384","#), .es256) == .conflictingMember("alg"))
        #expect(refusal(Self.p256.replacing("{", with: #"{"use":"enc","#), .es256) == .conflictingMember("use"))
        #expect(refusal(Self.p256.replacing("{", with: #"{"key_ops":["sign"],"#), .es256) == .conflictingMember("key_ops"))
    }

    @Test func jwkAsJSONText() throws {
        #expect(try JWTKeyMaterial.jwk(json: Self.p256, algorithm: .es256, kid: nil).algorithm == .es256)
        do {
            _ = try JWTKeyMaterial.jwk(json: #"{"kty":"EC","kty":"RSA"}"#, algorithm: .es256, kid: nil)
            Issue.record("a JWK with duplicate members was accepted")
        } catch {
            guard case .invalidMember("jwk", let expected) = error.kind else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(expected.contains("duplicate key"))
        }
    }

    @Test func shortHMACSecretsAreRefused() throws {
        #expect(throws: JWTKeyError(kind: .secretTooShort(minimumBytes: 32), algorithm: .hs256, detail: "")) {
            try JWTKeyMaterial.secret([UInt8](repeating: 7, count: 31), algorithm: .hs256)
        }
        #expect(throws: JWTKeyError(kind: .secretTooShort(minimumBytes: 64), algorithm: .hs512, detail: "")) {
            try JWTKeyMaterial.secret([UInt8](repeating: 7, count: 48), algorithm: .hs512)
        }
        #expect(refusal(#"{"kty":"oct","k":"AQAB"}"#, .hs256) == .secretTooShort(minimumBytes: 32))
        #expect(throws: JWTKeyError.self) { try JWTKeyMaterial.secret([UInt8](repeating: 7, count: 64), algorithm: .rs256) }
    }

    @Test func errorsNeverCarryKeyMaterial() throws {
        let secret = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ"
        do {
            _ = try JWTKeyMaterial.jwk(try JSONParser.parse(#"{"kty":"oct","k":"\#(secret)=","d":"x"}"#), algorithm: .hs256, kid: nil)
            Issue.record("accepted")
        } catch let error as JWTKeyError {
            #expect(!error.description.contains(secret))
            #expect(error.description.contains("\"d\""))
        }
    }
}
