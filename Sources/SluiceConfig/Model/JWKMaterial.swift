/// The public key material of a valid `jwk` (RFC 7517/7518), base64url-decoded, for the data
/// plane to load. Obtained from `JWTKeyConfig.jwkMaterial`; only meaningful for a key whose
/// `problems(at:)` is empty.
public enum JWKMaterial: Sendable, Equatable {
    /// `kty` RSA (RS*, PS*): modulus and public exponent, big-endian (RFC 7518 §6.3.1).
    case rsa(modulus: [UInt8], exponent: [UInt8])
    /// `kty` EC (ES*): curve name (`P-256`, `P-384`, `P-521`) and the full-size coordinates
    /// (RFC 7518 §6.2.1).
    case ec(curve: String, x: [UInt8], y: [UInt8])
    /// `kty` OKP (EdDSA): curve `Ed25519` and the 32-byte public key (RFC 8037 §2).
    case okp(curve: String, x: [UInt8])
    /// `kty` oct (HS*): the HMAC key bytes (RFC 7518 §6.4.1).
    case oct(key: [UInt8])
}
