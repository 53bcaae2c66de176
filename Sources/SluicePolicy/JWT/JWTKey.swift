import SluiceConfig

/// One verification key of a `JWTKeySet`, with the claims checks that go with it: tokens it
/// verifies must carry `iss == issuer` (when set) and an `aud` naming one of `audiences` (when
/// not empty), and are checked against `exp`/`nbf` with `leewaySeconds` of clock skew.
public struct JWTKey: Sendable {
    /// Opaque lookup string matched byte for byte against a token's `kid` header.
    public let kid: String
    public let material: JWTKeyMaterial
    public let issuer: String?
    public let audiences: [String]
    /// Clock skew allowed on `exp` and `nbf` (RFC 7519 §4.1.4: "some small leeway"); negative
    /// values count as 0.
    public let leewaySeconds: Int

    public var algorithm: JWTAlgorithm { material.algorithm }

    public init(kid: String, material: JWTKeyMaterial, issuer: String? = nil, audiences: [String] = [],
                leewaySeconds: Int = 30) {
        self.kid = kid
        self.material = material
        self.issuer = issuer
        self.audiences = audiences
        self.leewaySeconds = max(0, leewaySeconds)
    }
}
