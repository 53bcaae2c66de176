import Testing
import SluiceConfig
@testable import SluicePolicy

/// The worked examples of RFC 7515 Appendix A and RFC 8037 Appendix A, with their keys given as
/// JWKs (so they also exercise the JWK loader). `now` is before their `exp` (1300819380).
@Suite struct RFCVectorTests {
    static let before = 1_300_819_000.0
    static let payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

    static func verifier(jwk: String, algorithm: JWTAlgorithm, kid: String = "rfc") throws -> JWTVerifier {
        let material = try JWTKeyMaterial.jwk(try JSONParser.parse(jwk), algorithm: algorithm, kid: kid)
        return JWTVerifier(keySet: JWTKeySet(keys: [JWTKey(kid: kid, material: material, issuer: "joe")]))
    }

    @Test func a1HS256Verifies() throws {
        let verifier = try Self.verifier(jwk: #"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#,
                                         algorithm: .hs256)
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + Self.payload + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let verified = try verifier.verify(token, now: Self.before)
        #expect(verified.kid == "rfc")
        #expect(verified.expiration == 1_300_819_380)
        #expect(verified.subject == nil)
        #expect(verified.headerValue(forClaim: "http://example.com/is_root") == "true")
        #expect(verified.headerValue(forClaim: "iss") == "joe")
        // The same token after exp + the default 30 s leeway.
        #expect(JWTFixtures.refusal(verifier, token, now: 1_300_819_410) == .expired)
    }

    @Test func a2RS256Verifies() throws {
        let n = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
        let verifier = try Self.verifier(jwk: #"{"kty":"RSA","n":"\#(n)","e":"AQAB"}"#, algorithm: .rs256)
        let signature = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
        let token = "eyJhbGciOiJSUzI1NiJ9." + Self.payload + "." + signature
        #expect(try verifier.verify(token, now: Self.before).expiration == 1_300_819_380)
        // One changed signature character (keeping canonical trailing bits) is refused.
        let tampered = "eyJhbGciOiJSUzI1NiJ9." + Self.payload + ".d" + signature.dropFirst()
        #expect(JWTFixtures.refusal(verifier, tampered, now: Self.before) == .badSignature)
    }

    @Test func a3ES256Verifies() throws {
        let verifier = try Self.verifier(jwk: #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
                                         algorithm: .es256)
        let token = "eyJhbGciOiJFUzI1NiJ9." + Self.payload + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
        #expect(try verifier.verify(token, now: Self.before).headerValue(forClaim: "iss") == "joe")
    }

    /// A.4 signs the text "Payload", not a claims set: the signature verifies (a bad one would be
    /// reported first), then the payload is refused as not a JSON object.
    @Test func a4ES512SignatureVerifiesAndItsNonJSONPayloadIsRefused() throws {
        let verifier = try Self.verifier(jwk: #"{"kty":"EC","crv":"P-521","x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk","y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"}"#,
                                         algorithm: .es512)
        let signature = "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"
        #expect(JWTFixtures.refusal(verifier, "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA." + signature) == .malformed(.payloadJSON))
        #expect(JWTFixtures.refusal(verifier, "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZQ." + signature) == .badSignature)
    }

    /// RFC 8037 A.4/A.5: Ed25519 over "Example of Ed25519 signing".
    @Test func rfc8037Ed25519SignatureVerifies() throws {
        let verifier = try Self.verifier(jwk: #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
                                         algorithm: .edDSA)
        let input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
        let signature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        #expect(JWTFixtures.refusal(verifier, input + "." + signature) == .malformed(.payloadJSON))
        #expect(JWTFixtures.refusal(verifier, input + ".i" + signature.dropFirst()) == .badSignature)
    }

    @Test func rfc8037PrivateJWKIsRefused() throws {
        let jwk = try JSONParser.parse(#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
        #expect(throws: JWTKeyError(kind: .privateMember("d"), algorithm: .edDSA, detail: "")) {
            try JWTKeyMaterial.jwk(jwk, algorithm: .edDSA, kid: nil)
        }
    }
}
