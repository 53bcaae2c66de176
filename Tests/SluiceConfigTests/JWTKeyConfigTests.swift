import Testing
@testable import SluiceConfig

/// `jwk`, `audiences` and `leeway_seconds` of JWT keys.
@Suite struct JWTKeyConfigTests {
    /// Base64url without padding, as JWK members are written.
    static func b64url(_ bytes: [UInt8]) -> String {
        var text = Base64.encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { JSONValue.Member($0.0, $0.1) })
    }

    static let modulus = b64url([0xC3] + [UInt8](repeating: 7, count: 255))
    static let rsa = object([("kty", .string("RSA")), ("n", .string(modulus)), ("e", .string("AQAB"))])
    static let ec = object([("kty", .string("EC")), ("crv", .string("P-256")),
                            ("x", .string("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")),
                            ("y", .string("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"))])
    static let okp = object([("kty", .string("OKP")), ("crv", .string("Ed25519")),
                             ("x", .string("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"))])
    static let oct = object([("kty", .string("oct")), ("k", .string(b64url([UInt8](repeating: 5, count: 32))))])

    /// `base` with `member` set (appended, or replacing a member of that name).
    static func with(_ base: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = base else { return base }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(.init(key, value))
        }
        return .object(members)
    }

    static func without(_ base: JSONValue, _ key: String) -> JSONValue {
        guard case .object(let members) = base else { return base }
        return .object(members.filter { $0.key != key })
    }

    @Test func validJWKsOfEveryKeyTypeAreAccepted() {
        let keys = [
            JWTKeyConfig(kid: "r", alg: .rs256, jwk: Self.rsa), JWTKeyConfig(kid: "p", alg: .ps512, jwk: Self.rsa),
            JWTKeyConfig(kid: "e", alg: .es256, jwk: Self.with(Self.with(Self.ec, "alg", .string("ES256")), "kid", .string("e"))),
            JWTKeyConfig(kid: "o", alg: .edDSA, jwk: Self.with(Self.okp, "use", .string("sig"))),
            JWTKeyConfig(kid: "h", alg: .hs256, jwk: Self.with(Self.oct, "x5t", .string("extra members are kept"))),
        ]
        for key in keys { #expect(key.problems(at: "") == [], "\(key)") }
    }

    @Test func everyJWKProblemIsReportedAtItsMember() {
        let cases: [(JWTAlgorithm, JSONValue, [ConfigProblem])] = [
            (.rs256, .string("x"), [problem("/jwk", "jwk must be a JSON object (RFC 7517), found string")]),
            (.rs256, Self.without(Self.rsa, "kty"), [problem("/jwk/kty", "required jwk member is missing")]),
            (.rs256, Self.with(Self.rsa, "kty", .integer(1)), [problem("/jwk/kty", "expected string, found integer")]),
            (.rs256, Self.ec, [problem("/jwk/kty", #"RS256 keys need a jwk with kty "RSA", found "EC""#)]),
            (.es256, Self.rsa, [problem("/jwk/kty", #"ES256 keys need a jwk with kty "EC", found "RSA""#)]),
            (.edDSA, Self.oct, [problem("/jwk/kty", #"EdDSA keys need a jwk with kty "OKP", found "oct""#)]),
            (.hs256, Self.rsa, [problem("/jwk/kty", #"HS256 keys need a jwk with kty "oct", found "RSA""#)]),
            (.rs256, Self.with(Self.rsa, "d", .string("AQAB")),
             [problem("/jwk/d", #"jwk must not contain the private key member "d"; give the public key only"#)]),
            (.es256, Self.with(Self.with(Self.ec, "d", .string("AQAB")), "qi", .string("AQAB")), [
                problem("/jwk/d", #"jwk must not contain the private key member "d"; give the public key only"#),
                problem("/jwk/qi", #"jwk must not contain the private key member "qi"; give the public key only"#),
            ]),
            (.rs256, Self.with(Self.rsa, "alg", .string("RS384")),
             [problem("/jwk/alg", #"jwk alg "RS384" differs from the key's alg "RS256""#)]),
            (.rs256, Self.with(Self.rsa, "kid", .string("other")), [problem("/jwk/kid", #"jwk kid differs from the key's kid "k""#)]),
            (.rs256, Self.with(Self.rsa, "use", .string("enc")), [problem("/jwk/use", #"jwk use must be "sig" for a signature key"#)]),
            (.rs256, Self.without(Self.rsa, "e"), [problem("/jwk/e", "required jwk member is missing")]),
            (.rs256, Self.with(Self.rsa, "e", .string("AQAB==")),
             [problem("/jwk/e", "jwk e must be non-empty base64url without padding (RFC 7515 §2)")]),
            (.rs256, Self.with(Self.rsa, "n", .string("a+b/")),
             [problem("/jwk/n", "jwk n must be non-empty base64url without padding (RFC 7515 §2)")]),
            (.rs256, Self.with(Self.rsa, "n", .string(Self.b64url([0] + [UInt8](repeating: 9, count: 255)))),
             [problem("/jwk/n", "jwk RSA modulus must be at least 2048 bits, got 2040 or fewer")]),
            (.es384, Self.with(Self.ec, "crv", .string("P-384")), [
                problem("/jwk/x", "jwk x must be the full 48-byte coordinate (RFC 7518 §6.2.1), got 32 bytes"),
                problem("/jwk/y", "jwk y must be the full 48-byte coordinate (RFC 7518 §6.2.1), got 32 bytes"),
            ]),
            (.es256, Self.with(Self.ec, "crv", .string("P-384")), [problem("/jwk/crv", #"ES256 keys need crv "P-256", found "P-384""#)]),
            (.es256, Self.without(Self.ec, "y"), [problem("/jwk/y", "required jwk member is missing")]),
            (.edDSA, Self.with(Self.okp, "crv", .string("Ed448")), [problem("/jwk/crv", #"EdDSA keys need crv "Ed25519", found "Ed448""#)]),
            (.edDSA, Self.with(Self.okp, "x", .string(Self.b64url([1, 2, 3]))),
             [problem("/jwk/x", "jwk x must be the 32-byte Ed25519 public key, got 3 bytes")]),
            (.hs384, Self.oct, [problem("/jwk/k", "HS384 key must be at least 48 bytes (RFC 7518 §3.2), got 32")]),
            (.hs256, Self.with(Self.oct, "k", .string(Self.b64url([UInt8](repeating: 1, count: 1025)))),
             [problem("/jwk/k", "jwk k must be at most 1024 bytes")]),
        ]
        for (alg, jwk, expected) in cases {
            #expect(JWTKeyConfig(kid: "k", alg: alg, jwk: jwk).problems(at: "") == expected, "\(alg) \(jwk)")
        }
    }

    @Test func exactlyOneKindOfKeyMaterial() throws {
        let pem = try ExampleSnapshotTests.example().jwtKeys.compactMap(\.publicKeyPEM).first ?? ""
        #expect(JWTKeyConfig(kid: "k", alg: .rs256, publicKeyPEM: pem, jwk: Self.rsa).problems(at: "")
            == [problem("/jwk", "give either public_key_pem or jwk, not both")])
        #expect(JWTKeyConfig(kid: "k", alg: .hs256, secret: [UInt8](repeating: 1, count: 32), jwk: Self.oct).problems(at: "")
            == [problem("/jwk", "give either secret or jwk, not both")])
        #expect(JWTKeyConfig(kid: "k", alg: .rs256).problems(at: "")
            == [problem("/public_key_pem", "RS256 keys need public_key_pem (or a jwk)")])
    }

    @Test func audiencesAndLeewayAreChecked() {
        let secret = [UInt8](repeating: 1, count: 32)
        let many = (0...32).map { "aud-\($0)" }
        #expect(JWTKeyConfig(kid: "k", alg: .hs256, secret: secret, audiences: ["api", "", "api"], leewaySeconds: 301)
            .problems(at: "/jwt_keys/0") == [
                problem("/jwt_keys/0/audiences/1", "audience must not be empty"),
                problem("/jwt_keys/0/audiences/2", #"duplicate audience "api""#),
                problem("/jwt_keys/0/leeway_seconds", "leeway_seconds must be 0…300"),
            ])
        #expect(JWTKeyConfig(kid: "k", alg: .hs256, secret: secret, audiences: many, leewaySeconds: -1).problems(at: "") == [
            problem("/audiences", "a key may list at most 32 audiences"),
            problem("/leeway_seconds", "leeway_seconds must be 0…300"),
        ])
        #expect(JWTKeyConfig(kid: "k", alg: .hs256, secret: secret, audiences: ["a", "b"], leewaySeconds: 0).problems(at: "") == [])
        #expect(JWTKeyConfig(kid: "k", alg: .hs256, secret: secret, leewaySeconds: 300).problems(at: "") == [])
    }

    @Test func decodingReportsTypeProblems() {
        #expect(problems(document(keys: #"[{"kid":"k","alg":"RS256","jwk":"{}","audiences":"api","leeway_seconds":1.5}]"#)) == [
            problem("/jwt_keys/0/jwk", "expected object, found string"),
            problem("/jwt_keys/0/audiences", "expected array, found string"),
            problem("/jwt_keys/0/leeway_seconds", "expected integer, found number"),
        ])
        #expect(problems(document(keys: #"[{"kid":"k","alg":"HS256","secret":"AAAA","audience":"api"}]"#))
            == [problem("/jwt_keys/0/audience", "unknown field")])
        #expect(problems(document(keys: #"[{"kid":"k","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}}]"#)) == [
            problem("/jwt_keys/0/jwk/d", #"jwk must not contain the private key member "d"; give the public key only"#),
            problem("/jwt_keys/0/jwk/x", "jwk x must be the full 32-byte coordinate (RFC 7518 §6.2.1), got 1 bytes"),
            problem("/jwt_keys/0/jwk/y", "jwk y must be the full 32-byte coordinate (RFC 7518 §6.2.1), got 1 bytes"),
        ])
    }

    @Test func jwkRoundTripsAsWrittenAndGivesItsMaterial() throws {
        let key = JWTKeyConfig(kid: "o", alg: .edDSA, jwk: Self.okp, issuer: "i", audiences: ["api"], leewaySeconds: 5)
        let text = String(decoding: key.canonicalJSON(), as: UTF8.self)
        #expect(text == #"{"kid":"o","alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},"#
            + #""issuer":"i","audiences":["api"],"leeway_seconds":5}"#)
        #expect(try JWTKeyConfig(json: key.jsonValue) == key)
        guard case .okp(let curve, let x)? = key.jwkMaterial else {
            Issue.record("no OKP material")
            return
        }
        #expect(curve == "Ed25519" && x.count == 32 && x.first == 0xD7)
        guard case .rsa(let n, let e)? = JWTKeyConfig(kid: "r", alg: .rs256, jwk: Self.rsa).jwkMaterial else {
            Issue.record("no RSA material")
            return
        }
        #expect(n.count == 256 && e == [1, 0, 1])
        let hmac = JWTKeyConfig(kid: "h", alg: .hs256, jwk: Self.oct)
        #expect(hmac.hmacSecret == [UInt8](repeating: 5, count: 32))
        #expect(JWTKeyConfig(kid: "r", alg: .rs256, jwk: Self.oct).hmacSecret == nil)
        #expect("\(hmac)" == "JWTKeyConfig(kid: h, alg: HS256, jwk oct)" && !"\(hmac)".contains("BQUF"))
    }
}
