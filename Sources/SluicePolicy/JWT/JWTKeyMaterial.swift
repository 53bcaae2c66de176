import SluiceConfig

/// What verifies a key's signatures: an HMAC secret (HS*) or a public key (RS*, PS*, ES*,
/// EdDSA). Which one is fixed by the key's configured algorithm, never by a token, so a public
/// key can never be used as an HMAC secret (the RS256 → HS256 confusion).
///
/// Built once per config (OpenSSL loading is slow), immutable, shared by all workers.
public enum JWTKeyMaterial: Sendable {
    case hmac(HMACKey)
    case publicKey(JWTPublicKey)

    /// The one algorithm this material verifies.
    public var algorithm: JWTAlgorithm {
        switch self {
        case .hmac(let key): key.algorithm
        case .publicKey(let key): key.algorithm
        }
    }

    /// An HS256/384/512 secret (the decoded bytes of the config's base64 `secret`).
    public static func secret(_ bytes: [UInt8], algorithm: JWTAlgorithm) throws(JWTKeyError) -> JWTKeyMaterial {
        .hmac(try HMACKey(secret: bytes, algorithm: algorithm))
    }

    /// A PEM `PUBLIC KEY` for a non-HMAC algorithm.
    public static func publicKeyPEM(_ pem: String, algorithm: JWTAlgorithm) throws(JWTKeyError) -> JWTKeyMaterial {
        .publicKey(try JWTPublicKey.load(pem: pem, algorithm: algorithm))
    }

    func verify(signingInput: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .hmac(let key): key.verify(signingInput: signingInput, signature: signature)
        case .publicKey(let key): key.verify(signingInput: signingInput, signature: signature)
        }
    }
}
