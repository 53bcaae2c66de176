/// A JWT verification key, selected by `kid` and used only with `alg`.
///
/// Key material: exactly one of
/// - `secret` (HMAC `HS*` only): the key bytes; in JSON standard base64, base64url accepted; at
///   least the hash size per RFC 7518 §3.2, at most 1,024 bytes;
/// - `publicKeyPEM` (every other algorithm): a `-----BEGIN PUBLIC KEY-----` block (loading it is
///   the data plane's job);
/// - `jwk`: an RFC 7517 public JWK object, kept as written: `kty` RSA `{n, e}` for RS*/PS*,
///   EC `{crv, x, y}` for ES*, OKP `{crv: "Ed25519", x}` for EdDSA, oct `{k}` for HS*; private
///   members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`) are refused; `alg`, `kid` and `use` members,
///   if present, must agree (`use` must be `sig`). `jwkMaterial` gives the decoded numbers.
///
/// `issuer`, when set, must equal the token's `iss`; `audiences`, when not empty, must contain at
/// least one of the token's `aud` values. `leewaySeconds` (0…300, default 30) is the clock skew
/// allowed for `exp` and `nbf`.
///
/// `description` never shows the secret.
public struct JWTKeyConfig: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let maximumSecretBytes = 1024
    public static let defaultLeewaySeconds = 30
    public static let leewaySecondsRange = 0...300
    public static let maximumAudiences = 32

    public var kid: String
    public var alg: JWTAlgorithm
    public var secret: [UInt8]?
    public var publicKeyPEM: String?
    public var jwk: JSONValue?
    public var issuer: String?
    public var audiences: [String]
    public var leewaySeconds: Int

    public init(kid: String, alg: JWTAlgorithm, secret: [UInt8]? = nil, publicKeyPEM: String? = nil,
                jwk: JSONValue? = nil, issuer: String? = nil, audiences: [String] = [],
                leewaySeconds: Int = JWTKeyConfig.defaultLeewaySeconds) {
        self.kid = kid
        self.alg = alg
        self.secret = secret
        self.publicKeyPEM = publicKeyPEM
        self.jwk = jwk
        self.issuer = issuer
        self.audiences = audiences
        self.leewaySeconds = leewaySeconds
    }

    /// The HMAC key of an `HS*` key: `secret`, or the `k` of an oct `jwk`; nil otherwise.
    public var hmacSecret: [UInt8]? {
        guard alg.isHMAC else { return nil }
        if let secret { return secret }
        if case .oct(let key)? = jwkMaterial { return key }
        return nil
    }

    /// The decoded members of `jwk` for its `kty`, or nil when there is no `jwk` or it is not
    /// valid (see `problems(at:)`).
    public var jwkMaterial: JWKMaterial? {
        guard let jwk, case .string(let kty)? = jwk["kty"] else { return nil }
        func member(_ name: String) -> [UInt8]? {
            guard case .string(let text)? = jwk[name] else { return nil }
            return JWKSyntax.base64URLDecode(text)
        }
        switch kty {
        case "RSA":
            guard let modulus = member("n"), let exponent = member("e") else { return nil }
            return .rsa(modulus: modulus, exponent: exponent)
        case "EC":
            guard case .string(let curve)? = jwk["crv"], let x = member("x"), let y = member("y") else { return nil }
            return .ec(curve: curve, x: x, y: y)
        case "OKP":
            guard case .string(let curve)? = jwk["crv"], let x = member("x") else { return nil }
            return .okp(curve: curve, x: x)
        case "oct":
            return member("k").map { .oct(key: $0) }
        default:
            return nil
        }
    }

    public var description: String {
        let material: String
        if let secret {
            material = "secret: <\(secret.count) bytes>"
        } else if publicKeyPEM != nil {
            material = "public key"
        } else if case .string(let kty)? = jwk?["kty"] {
            material = "jwk \(kty)"
        } else {
            material = "no key"
        }
        return "JWTKeyConfig(kid: \(kid), alg: \(alg.rawValue), \(material))"
    }

    public var debugDescription: String { description }
}
