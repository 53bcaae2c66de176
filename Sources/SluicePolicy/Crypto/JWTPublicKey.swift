import COpenSSL
import SluiceConfig

/// A JWT verification key loaded by OpenSSL from a PEM `PUBLIC KEY` block or a JWK
/// (`JWTPublicKey+JWK.swift`) and checked against the algorithm it is declared for (RS*/PS*: RSA ≥ 2048 bits; ES256/384/512: EC on P-256/P-384/P-521;
/// EdDSA: Ed25519), so a key that cannot verify its algorithm is refused when a config is
/// compiled, never at the first request.
///
/// Ownership: owns its `EVP_PKEY` and its fetched `EVP_MD` and frees them on deinit.
/// `@unchecked Sendable` is safe because neither is mutated after loading, and OpenSSL allows
/// concurrent verification with one `EVP_PKEY` and one fetched `EVP_MD` from several threads
/// (each verification uses its own context).
public final class JWTPublicKey: @unchecked Sendable {
    public let algorithm: JWTAlgorithm
    let key: OpaquePointer
    /// The algorithm's hash, fetched once here (an implicit fetch per verification costs a
    /// lookup under OpenSSL's lock); nil for EdDSA, which hashes internally.
    let digest: OpaquePointer?
    /// A verification context initialized once (`EVP_DigestVerifyInit` + PSS parameters) that
    /// each verification copies, instead of fetching the signature algorithm and building a key
    /// context per token. Only read after init (`EVP_MD_CTX_copy_ex` reads its source).
    let template: OpaquePointer?

    /// Takes ownership of `key` (freed on deinit, also when this initializer throws).
    init(adopting key: OpaquePointer, algorithm: JWTAlgorithm) throws(JWTKeyError) {
        self.key = key
        self.algorithm = algorithm
        let digest = algorithm.openSSLDigestName.flatMap { EVP_MD_fetch(nil, $0, nil) }
        self.digest = digest
        template = JWTPublicKey.makeVerificationContext(key: key, digest: digest, pss: algorithm.isPSS)
        try checkFitsAlgorithm()
        if algorithm != .edDSA, digest == nil {
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm, detail: "OpenSSL has no digest for it")
        }
    }

    deinit {
        if let template { EVP_MD_CTX_free(template) }
        EVP_PKEY_free(key)
        if let digest { EVP_MD_free(digest) }
    }

    /// Loads `pem` for `algorithm` (not for HS*: those use a shared secret, not a public key).
    public static func load(pem: String, algorithm: JWTAlgorithm) throws(JWTKeyError) -> JWTPublicKey {
        let bytes = Array(pem.utf8)
        ERR_clear_error()
        let loaded: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key = loaded else {
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm, detail: lastOpenSSLError())
        }
        let publicKey = try JWTPublicKey(adopting: key, algorithm: algorithm)
        // The same validation JWK keys get (RSA: n odd, e odd > 1; EC: on the curve): a PEM with
        // e = 1 would otherwise load and then accept forged signatures.
        guard sluice_public_key_check(key) == 1 else {
            let detail = lastOpenSSLError()
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm,
                              detail: detail.isEmpty ? "OpenSSL's public-key check failed" : detail)
        }
        return publicKey
    }

    private func checkFitsAlgorithm() throws(JWTKeyError) {
        let type = EVP_PKEY_get_base_id(key)
        let bits = EVP_PKEY_get_bits(key)
        switch algorithm {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
            guard type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS else {
                throw JWTKeyError(kind: .wrongKeyType(expected: "an RSA key"), algorithm: algorithm, detail: "")
            }
            // RFC 7518 §3.3: a key of 2048 bits or larger MUST be used.
            guard bits >= 2048 else {
                throw JWTKeyError(kind: .wrongSize(expected: "an RSA key of at least 2048 bits"), algorithm: algorithm, detail: "")
            }
        case .es256, .es384, .es512:
            guard type == EVP_PKEY_EC else {
                throw JWTKeyError(kind: .wrongKeyType(expected: "an EC key"), algorithm: algorithm, detail: "")
            }
            // RFC 7518 §3.4: ES256 on P-256, ES384 on P-384, ES512 on P-521.
            let expected: Int32 = algorithm == .es256 ? 256 : algorithm == .es384 ? 384 : 521
            guard bits == expected else {
                throw JWTKeyError(kind: .wrongSize(expected: "a key on the P-\(expected) curve"), algorithm: algorithm, detail: "")
            }
        case .edDSA:
            guard type == EVP_PKEY_ED25519 else {
                throw JWTKeyError(kind: .wrongKeyType(expected: "an Ed25519 key"), algorithm: algorithm, detail: "")
            }
        case .hs256, .hs384, .hs512:
            throw JWTKeyError(kind: .wrongKeyType(expected: "a shared secret, not a public key"), algorithm: algorithm, detail: "")
        }
    }

    /// OpenSSL's reason for the last failure on this thread (empty if none), for error messages.
    static func lastOpenSSLError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        ERR_clear_error()
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
