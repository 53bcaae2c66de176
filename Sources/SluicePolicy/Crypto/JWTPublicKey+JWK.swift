import COpenSSL
import SluiceConfig

/// Building keys from decoded JWK members (RFC 7518 §6) with OpenSSL 3 (`EVP_PKEY_fromdata`
/// through the C helpers in `shim.h`); member syntax is checked by `JWTKeyMaterial+JWK.swift`.
extension JWTPublicKey {
    /// RSA public key from the big-endian modulus and exponent (RFC 7518 §6.3.1); refused
    /// under 2048 bits or when OpenSSL's public-key check fails.
    static func rsa(modulus: [UInt8], exponent: [UInt8], algorithm: JWTAlgorithm) throws(JWTKeyError) -> JWTPublicKey {
        ERR_clear_error()
        let built = modulus.withUnsafeBufferPointer { n in
            exponent.withUnsafeBufferPointer { e in
                sluice_rsa_public_key(n.baseAddress, n.count, e.baseAddress, e.count)
            }
        }
        guard let built else {
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm, detail: lastOpenSSLError())
        }
        let key = try JWTPublicKey(adopting: built, algorithm: algorithm)
        guard sluice_public_key_check(built) == 1 else {
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm, detail: lastOpenSSLError())
        }
        return key
    }

    /// EC public key from the affine coordinates, each exactly the curve's size (RFC 7518
    /// §6.2.1.2–3); a point not on the curve is refused.
    static func ec(x: [UInt8], y: [UInt8], algorithm: JWTAlgorithm) throws(JWTKeyError) -> JWTPublicKey {
        guard let group = algorithm.openSSLGroupName else {
            throw JWTKeyError(kind: .wrongKeyType(expected: "an EC key"), algorithm: algorithm, detail: "")
        }
        ERR_clear_error()
        // SEC1 §2.3.3 uncompressed point: 0x04 || x || y.
        let point = [0x04] + x + y
        let built = point.withUnsafeBufferPointer { sluice_ec_public_key(group, $0.baseAddress, $0.count) }
        guard let built else {
            throw JWTKeyError(kind: .notOnCurve, algorithm: algorithm, detail: lastOpenSSLError())
        }
        let key = try JWTPublicKey(adopting: built, algorithm: algorithm)
        guard sluice_public_key_check(built) == 1 else {
            throw JWTKeyError(kind: .notOnCurve, algorithm: algorithm, detail: lastOpenSSLError())
        }
        return key
    }

    /// Ed25519 public key from its 32 bytes (RFC 8037 §2).
    static func ed25519(x: [UInt8]) throws(JWTKeyError) -> JWTPublicKey {
        ERR_clear_error()
        let built = x.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count) }
        guard let built else {
            throw JWTKeyError(kind: .unreadable, algorithm: .edDSA, detail: lastOpenSSLError())
        }
        return try JWTPublicKey(adopting: built, algorithm: .edDSA)
    }
}
