/// A JWT verification key, selected by `kid` and used only with `alg`.
///
/// HMAC keys (`HS*`) carry `secret` (the key bytes; in JSON standard base64, base64url accepted;
/// at least the hash size per RFC 7518 §3.2, at most 1,024 bytes); every other algorithm carries
/// `publicKeyPEM` (a `-----BEGIN PUBLIC KEY-----` block; loading it is the data plane's job).
/// Exactly one of the two is set. `issuer` and `audience`, when set, must match the token's
/// `iss` and `aud`.
///
/// `description` never shows the secret.
public struct JWTKeyConfig: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let maximumSecretBytes = 1024

    public var kid: String
    public var alg: JWTAlgorithm
    public var secret: [UInt8]?
    public var publicKeyPEM: String?
    public var issuer: String?
    public var audience: String?

    public init(kid: String, alg: JWTAlgorithm, secret: [UInt8]? = nil, publicKeyPEM: String? = nil,
                issuer: String? = nil, audience: String? = nil) {
        self.kid = kid
        self.alg = alg
        self.secret = secret
        self.publicKeyPEM = publicKeyPEM
        self.issuer = issuer
        self.audience = audience
    }

    public var description: String {
        let material = secret.map { "secret: <\($0.count) bytes>" } ?? (publicKeyPEM == nil ? "no key" : "public key")
        return "JWTKeyConfig(kid: \(kid), alg: \(alg.rawValue), \(material))"
    }

    public var debugDescription: String { description }
}
