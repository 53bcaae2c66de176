import Testing
import SluiceConfig
@testable import SluicePolicy

/// Every refusal of issue #6, each with the token that triggers it.
@Suite struct JWTVerifierRefusalTests {
    @Test(arguments: ["none", "None", "NONE", "nOnE"])
    func algNoneIsRefusedInEverySpelling(_ spelling: String) throws {
        let verifier = try JWTFixtures.verifier(try JWTFixtures.signer(.hs256))
        let claims = #"{"sub":"user-42","exp":1800000600}"#
        // Unsecured JWS has an empty signature (RFC 7515 §6); with or without kid.
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":"\#(spelling)"}"#, payload: claims)) == .algNone)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":"\#(spelling)","kid":"k1"}"#, payload: claims,
                                                                        signature: [1, 2, 3])) == .algNone)
        #expect(verifier.signatureVerifications == 0)
    }

    @Test func unknownAlgorithmIsRefused() throws {
        let verifier = try JWTFixtures.verifier(try JWTFixtures.signer(.hs256))
        for alg in ["HS1", "hs256", "RS1", "ES256K", "Ed25519", ""] {
            #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":"\#(alg)","kid":"k1"}"#, signature: [1])) == .unsupportedAlgorithm)
        }
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"kid":"k1"}"#)) == .malformed(.alg))
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":256}"#)) == .malformed(.alg))
    }

    @Test func algorithmOtherThanTheKeysIsRefused() throws {
        let verifier = try JWTFixtures.verifier(try JWTFixtures.signer(.rs256))
        // A genuine RS384 or PS256 signature naming the RS256 key's kid is refused before any signature check.
        let rs384 = try JWTFixtures.signer(.rs384)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(rs384)) == .algMismatch)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(try JWTFixtures.signer(.ps256))) == .algMismatch)
        #expect(verifier.signatureVerifications == 0)
    }

    /// The classic confusion: the RS256 key's public PEM used as an HS256 secret by the attacker.
    @Test func hmacWithThePublicKeyAsSecretIsRefused() throws {
        let rsa = try JWTFixtures.signer(.rs256)
        let pem = try #require(rsa.publicKeyPEM)
        let verifier = try JWTFixtures.verifier(rsa)
        let forger = try JWTSigner(secret: Array(pem.utf8), algorithm: .hs256)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(forger, kid: "k1")) == .algMismatch)
        // Without kid, only keys configured for HS256 are candidates: there are none.
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.mint(forger, kid: nil)) == .unknownKid)
        #expect(verifier.signatureVerifications == 0)
        // And a PEM cannot be configured for an HMAC algorithm.
        #expect(throws: JWTKeyError.self) { try JWTKeyMaterial.publicKeyPEM(pem, algorithm: .hs256) }
    }

    @Test(arguments: ["other", "../../etc/passwd", "' OR '1'='1' --", "k1\u{0}", "K1", "k1 ", ""])
    func unknownKidIsRefused(_ kid: String) throws {
        let signer = try JWTFixtures.signer(.es256)
        let verifier = try JWTFixtures.verifier(signer)
        let header = escapedHeader(alg: "ES256", kid: kid)
        #expect(JWTFixtures.refusal(verifier, signer.token(header: header, payload: "{}")) == .unknownKid)
        #expect(JWTFixtures.refusal(verifier, JWTFixtures.unsignedToken(header: #"{"alg":"ES256","kid":7}"#)) == .malformed(.kid))
    }

    /// A JSON header with kid escaped for JSON (\u0000 included).
    private func escapedHeader(alg: String, kid: String) -> String {
        var escaped = ""
        for scalar in kid.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return #"{"alg":"\#(alg)","kid":"\#(escaped)"}"#
    }

    /// `jku`, `x5u`, `jwk`, `x5c` are never used: the attacker's own key, embedded or linked,
    /// does not verify its token.
    @Test func embeddedOrLinkedKeysAreIgnored() throws {
        let verifier = try JWTFixtures.verifier(try JWTFixtures.signer(.es256))
        let attacker = try JWTSigner(generating: .es256)
        let jwk = try #require(attacker.publicJWK)
        guard case .object(let members) = jwk, case .string(let x)? = jwk["x"], case .string(let y)? = jwk["y"] else {
            Issue.record("no EC JWK")
            return
        }
        #expect(members.count == 4)
        let embedded = #"{"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(y)"}"#
        let headers = [
            #"{"alg":"ES256","kid":"k1","jwk":\#(embedded)}"#,
            #"{"alg":"ES256","jwk":\#(embedded)}"#,
            #"{"alg":"ES256","kid":"k1","jku":"https://attacker.example/jwks.json"}"#,
            #"{"alg":"ES256","kid":"k1","x5u":"https://attacker.example/cert.pem"}"#,
            #"{"alg":"ES256","kid":"k1","x5c":["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]}"#,
        ]
        for header in headers {
            #expect(JWTFixtures.refusal(verifier, attacker.token(header: header, payload: #"{"sub":"admin"}"#)) == .badSignature)
        }
        // A kid naming the attacker's key is simply unknown.
        #expect(JWTFixtures.refusal(verifier, attacker.token(header: #"{"alg":"ES256","kid":"attacker","jwk":\#(embedded)}"#,
                                                             payload: "{}")) == .unknownKid)
    }

    @Test func critIsRefused() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer)
        #expect(JWTFixtures.refusal(verifier, signer.token(header: #"{"alg":"HS256","kid":"k1","crit":["exp"],"exp":1}"#, payload: "{}")) == .unsupportedCrit)
        #expect(JWTFixtures.refusal(verifier, signer.token(header: #"{"alg":"HS256","kid":"k1","b64":false,"crit":["b64"]}"#, payload: "{}")) == .unsupportedCrit)
        for crit in ["[]", #""b64""#, "[1]", "null", "{}"] {
            #expect(JWTFixtures.refusal(verifier, signer.token(header: #"{"alg":"HS256","kid":"k1","crit":\#(crit)}"#, payload: "{}")) == .malformed(.crit))
        }
        #expect(verifier.signatureVerifications == 0)
    }

    /// ES256 signatures must be exactly 64 bytes of r || s with neither zero (CVE-2022-21449).
    @Test func es256SignatureOfWrongShapeIsRefused() throws {
        let signer = try JWTFixtures.signer(.es256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        let input = String(token[..<token.lastIndex(of: ".")!])
        let genuine = try #require(Base64URL.decode(String(token[token.index(after: token.lastIndex(of: ".")!)...])))
        #expect(genuine.count == 64)
        let shapes: [[UInt8]] = [
            [UInt8](repeating: 0, count: 64),                       // psychic: r = s = 0
            [UInt8](repeating: 0, count: 32) + genuine[32...],      // r = 0
            Array(genuine[..<32]) + [UInt8](repeating: 0, count: 32), // s = 0
            Array(genuine.dropLast()),                              // 63 bytes
            genuine + [0],                                          // 65 bytes
            [0] + genuine,                                          // 65 bytes, leading zero
            [],                                                     // empty
        ]
        for signature in shapes {
            #expect(JWTFixtures.refusal(verifier, input + "." + Base64URL.encode(signature)) == .badSignature)
        }
        // The DER form OpenSSL produces natively is not a JWS signature.
        #expect(JWTFixtures.refusal(verifier, input + "." + Base64URL.encode(der(genuine))) == .badSignature)
        #expect(try verifier.verify(token, now: JWTFixtures.now).subject == "user-42")
    }

    /// DER SEQUENCE of two INTEGERs from a raw 64-byte r || s.
    private func der(_ raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if let first = value.first, first & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[..<32]) + integer(raw[32...])
        return [0x30, UInt8(body.count)] + body
    }

    @Test func malformedStructureIsRefused() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let cases: [(String, JWTError)] = [
            ("", .malformed(.segments)),
            (parts[0], .malformed(.segments)),
            (parts[0] + "." + parts[1], .malformed(.segments)),
            (token + ".", .malformed(.segments)),
            (token + "." + parts[2], .malformed(.segments)),
            ("..", .malformed(.headerJSON)),
            (parts[0] + "=." + parts[1] + "." + parts[2], .malformed(.headerEncoding)),
            (parts[0] + "." + parts[1] + "." + parts[2] + "=", .malformed(.signatureEncoding)),
            (parts[0] + "." + parts[1] + "." + parts[2].replacing("_", with: "/").replacing("-", with: "+") + "+",
             .malformed(.signatureEncoding)),
            (" " + token, .malformed(.headerEncoding)),
            ("Bearer " + token, .malformed(.headerEncoding)),
            (token + "\n", .malformed(.signatureEncoding)),
        ]
        for (text, expected) in cases {
            #expect(JWTFixtures.refusal(verifier, text) == expected, "\(text.prefix(40))")
        }
    }

    /// Base64url that decodes but is not canonical (non-zero unused bits) is refused, so one
    /// token has exactly one spelling.
    @Test func nonCanonicalBase64URLIsRefused() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer)
        let token = JWTFixtures.mint(signer)
        let parts = token.split(separator: ".").map(String.init)
        // The HS256 signature is 32 bytes: 43 characters, the last carries 2 unused bits.
        #expect(parts[2].count == 43)
        let last = parts[2].last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let value = alphabet.firstIndex(of: last)!
        let sibling = alphabet[value | 1]
        #expect(sibling != last)
        #expect(JWTFixtures.refusal(verifier, parts[0] + "." + parts[1] + "." + parts[2].dropLast() + String(sibling)) == .malformed(.signatureEncoding))
    }

    @Test func malformedJSONIsRefused() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer)
        let headerCases: [String] = [
            "not json", #"["alg","HS256"]"#, #""HS256""#, #"{"alg":"HS256","kid":"k1""#,
            #"{"alg":"HS256","kid":"k1","alg":"none"}"#,       // duplicate member: refused by the parser
            "{\"alg\":\"HS256\",\"kid\":\"k1\"}\u{0}",
        ]
        for header in headerCases {
            #expect(JWTFixtures.refusal(verifier, signer.token(header: header, payload: "{}")) == .malformed(.headerJSON))
        }
        let payloadCases: [String] = [
            "not json", "[]", "1", #"{"sub":"a","sub":"b"}"#, #"{"sub":"a""#, "{\"sub\":\"\u{1}\"}",
        ]
        for payload in payloadCases {
            #expect(JWTFixtures.refusal(verifier, signer.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: payload)) == .malformed(.payloadJSON))
        }
    }

    @Test func oversizedTokenIsRefusedBeforeAnyWork() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer)
        let padding = String(repeating: "x", count: 8192)
        let large = JWTFixtures.mint(signer, claims: #"{"sub":"user-42","pad":"\#(padding)"}"#)
        #expect(large.utf8.count > 8192)
        #expect(JWTFixtures.refusal(verifier, large) == .tooLarge(limit: 8192))
        #expect(JWTFixtures.refusal(verifier, String(repeating: "a", count: 8193)) == .tooLarge(limit: 8192))
        #expect(verifier.signatureVerifications == 0)
        let small = JWTVerifier(keySet: verifier.keySet, maximumTokenBytes: 100)
        #expect(JWTFixtures.refusal(small, JWTFixtures.mint(signer)) == .tooLarge(limit: 100))
        // Just under the cap still verifies.
        let fits = JWTFixtures.mint(signer, claims: #"{"sub":"user-42","pad":"\#(String(repeating: "x", count: 5900))"}"#)
        #expect(fits.utf8.count <= 8192)
        #expect(try verifier.verify(fits, now: JWTFixtures.now).subject == "user-42")
    }
}
