import COpenSSL
import SluiceConfig

extension JWTPublicKey {
    /// Checks a JWS signature over `signingInput` (the ASCII `header.payload` bytes) with this
    /// key's own algorithm: RS* PKCS#1 v1.5, PS* PSS with salt = hash length and MGF1 with the
    /// same hash (RFC 7518 §3.5), ES* raw `r || s` (RFC 7518 §3.4), EdDSA Ed25519 (RFC 8037).
    ///
    /// Thread-safe: every call uses its own OpenSSL contexts.
    func verify(signingInput: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        if let half = algorithm.ecCoordinateBytes {
            return verifyECDSA(signingInput: signingInput, signature: signature, half: half)
        }
        return verifyDigest(signingInput: signingInput, signature: signature)
    }

    /// A context ready for `EVP_DigestVerify` with `key`, `digest` and (for PS*) PSS padding
    /// with salt = hash length and MGF1 with the same hash; nil on failure. The caller owns it.
    static func makeVerificationContext(key: OpaquePointer, digest: OpaquePointer?, pss: Bool) -> OpaquePointer? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        var keyContext: OpaquePointer? = nil
        var ready = EVP_DigestVerifyInit(context, &keyContext, digest, nil, key) == 1
        if ready, pss {
            ready = keyContext != nil
                && EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, digest) == 1
        }
        guard ready else {
            ERR_clear_error()
            EVP_MD_CTX_free(context)
            return nil
        }
        return context
    }

    /// A copy of the template when OpenSSL can copy it (EdDSA contexts cannot be copied in
    /// OpenSSL 3.0), else a fresh context.
    private func verificationContext() -> OpaquePointer? {
        if let template, let copy = EVP_MD_CTX_new() {
            if EVP_MD_CTX_copy_ex(copy, template) == 1 { return copy }
            EVP_MD_CTX_free(copy)
            ERR_clear_error()
        }
        return JWTPublicKey.makeVerificationContext(key: key, digest: digest, pss: algorithm.isPSS)
    }

    private func verifyDigest(signingInput: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        guard let context = verificationContext() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let result = EVP_DigestVerify(context,
                                      signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
                                      signingInput.baseAddress?.assumingMemoryBound(to: UInt8.self), signingInput.count)
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    /// RFC 7518 §3.4: the signature is exactly `2 × half` bytes, r then s, each big-endian and
    /// left-padded. r or s zero is refused before OpenSSL sees it (the "psychic signature",
    /// CVE-2022-21449, would otherwise depend on the library's range check). OpenSSL's EVP
    /// takes DER, so the pair is re-encoded through `ECDSA_SIG`.
    private func verifyECDSA(signingInput: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer, half: Int) -> Bool {
        guard signature.count == 2 * half else { return false }
        let r = UnsafeRawBufferPointer(rebasing: signature[0..<half])
        let s = UnsafeRawBufferPointer(rebasing: signature[half...])
        guard r.contains(where: { $0 != 0 }), s.contains(where: { $0 != 0 }) else { return false }
        guard let pair = ECDSA_SIG_new() else { return false }
        defer { ECDSA_SIG_free(pair) }
        guard let rNumber = BN_bin2bn(r.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(half), nil) else { return false }
        guard let sNumber = BN_bin2bn(s.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(half), nil) else {
            BN_free(rNumber)
            return false
        }
        guard ECDSA_SIG_set0(pair, rNumber, sNumber) == 1 else {
            BN_free(rNumber)
            BN_free(sNumber)
            return false
        }
        // DER of two INTEGERs of at most 67 bytes each: well under 160 bytes.
        var der = [UInt8](repeating: 0, count: 160)
        let derLength = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard i2d_ECDSA_SIG(pair, nil) <= Int32(buffer.count) else { return -1 }
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_ECDSA_SIG(pair, &cursor)
        }
        guard derLength > 0 else { return false }
        return der.withUnsafeBytes { derBytes in
            verifyDigest(signingInput: signingInput,
                         signature: UnsafeRawBufferPointer(rebasing: derBytes[0..<Int(derLength)]))
        }
    }
}
