import COpenSSL
import SluiceConfig

/// Mints JWS compact tokens with a freshly generated key (or a given HMAC secret), for tests,
/// the JWT benchmark and demo tooling; the data plane only verifies. Keys: RSA (2048 bits
/// unless told), EC on the algorithm's curve, Ed25519, or 64 random bytes for HS*.
///
/// Ownership: owns its private `EVP_PKEY` (freed on deinit). `@unchecked Sendable` is safe: the
/// key is never mutated after generation and each signature uses its own OpenSSL context.
public final class JWTSigner: @unchecked Sendable {
    public let algorithm: JWTAlgorithm
    private let privateKey: OpaquePointer?
    private let hmac: HMACKey?
    /// The HMAC secret (HS* only).
    public let secret: [UInt8]?

    /// Why a key could not be generated or exported (OpenSSL's reason).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// A signer for an HMAC algorithm with this secret.
    public init(secret: [UInt8], algorithm: JWTAlgorithm) throws(JWTKeyError) {
        self.algorithm = algorithm
        self.secret = secret
        self.hmac = try HMACKey(secret: secret, algorithm: algorithm)
        self.privateKey = nil
    }

    /// Generates a new key for `algorithm` (`rsaBits` for RS*/PS*, e.g. 1024 to test refusal).
    public init(generating algorithm: JWTAlgorithm, rsaBits: Int32 = 2048) throws(Failure) {
        self.algorithm = algorithm
        if algorithm.isHMAC {
            var bytes = [UInt8](repeating: 0, count: 64)
            guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw Failure(description: "RAND_bytes failed") }
            secret = bytes
            do {
                hmac = try HMACKey(secret: bytes, algorithm: algorithm)
            } catch {
                throw Failure(description: error.description)
            }
            privateKey = nil
            return
        }
        secret = nil
        hmac = nil
        let typeName = algorithm.openSSLGroupName != nil ? "EC" : algorithm == .edDSA ? "ED25519" : "RSA"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw Failure(description: "no \(typeName) key generator")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw Failure(description: "keygen init failed") }
        if let group = algorithm.openSSLGroupName {
            guard EVP_PKEY_CTX_set_group_name(context, group) == 1 else { throw Failure(description: "no curve") }
        } else if algorithm != .edDSA {
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, rsaBits) == 1 else { throw Failure(description: "bad RSA size") }
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &key) == 1, let key else {
            throw Failure(description: "key generation failed: \(JWTPublicKey.lastOpenSSLError())")
        }
        privateKey = key
    }

    deinit { if let privateKey { EVP_PKEY_free(privateKey) } }

    /// The public key as a PEM `PUBLIC KEY` block (nil for HS*).
    public var publicKeyPEM: String? {
        guard let privateKey, let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, privateKey) == 1 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16384)
        let count = BIO_read(bio, &bytes, Int32(bytes.count))
        guard count > 0 else { return nil }
        return String(decoding: bytes[0..<Int(count)], as: UTF8.self)
    }

    /// The public key as a JWK object (RFC 7518 §6, RFC 8037 §2; `oct` with `k` for HS*).
    public var publicJWK: JSONValue? {
        if let secret { return .object([.init("kty", .string("oct")), .init("k", .string(Base64URL.encode(secret)))]) }
        guard let privateKey else { return nil }
        if algorithm == .edDSA {
            var bytes = [UInt8](repeating: 0, count: 32)
            var length = 32
            guard EVP_PKEY_get_raw_public_key(privateKey, &bytes, &length) == 1 else { return nil }
            return .object([.init("kty", .string("OKP")), .init("crv", .string("Ed25519")),
                            .init("x", .string(Base64URL.encode(bytes)))])
        }
        if let curve = algorithm.jwkCurve, let size = algorithm.ecCoordinateBytes {
            var point = [UInt8](repeating: 0, count: 2 * size + 1)
            var length = 0
            guard EVP_PKEY_get_octet_string_param(privateKey, "pub", &point, point.count, &length) == 1,
                  length == point.count else { return nil }
            return .object([.init("kty", .string("EC")), .init("crv", .string(curve)),
                            .init("x", .string(Base64URL.encode(Array(point[1...size])))),
                            .init("y", .string(Base64URL.encode(Array(point[(size + 1)...]))))])
        }
        guard let n = bigNumber("n"), let e = bigNumber("e") else { return nil }
        return .object([.init("kty", .string("RSA")), .init("n", .string(Base64URL.encode(n))),
                        .init("e", .string(Base64URL.encode(e)))])
    }

    /// A compact JWS of these header and payload JSON texts (used byte for byte).
    public func token(header: String, payload: String) -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return signingInput + "." + Base64URL.encode(sign(Array(signingInput.utf8)))
    }

    /// The JWS signature of `signingInput` (ES*: raw r || s, RFC 7518 §3.4).
    public func sign(_ signingInput: [UInt8]) -> [UInt8] {
        if let hmac { return signingInput.withUnsafeBytes { hmac.authenticationCode($0) } }
        guard let privateKey, let context = EVP_MD_CTX_new() else { return [] }
        defer { EVP_MD_CTX_free(context) }
        let digest = algorithm.openSSLDigestName.flatMap { EVP_MD_fetch(nil, $0, nil) }
        defer { if let digest { EVP_MD_free(digest) } }
        var keyContext: OpaquePointer? = nil
        guard EVP_DigestSignInit(context, &keyContext, digest, nil, privateKey) == 1 else { return [] }
        if algorithm.isPSS, let keyContext {
            _ = EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING)
            _ = EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST)
            _ = EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, digest)
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, signingInput, signingInput.count) == 1 else { return [] }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, signingInput, signingInput.count) == 1 else { return [] }
        signature.removeSubrange(length...)
        guard let half = algorithm.ecCoordinateBytes else { return signature }
        return rawECDSA(der: signature, half: half)
    }

    private func rawECDSA(der: [UInt8], half: Int) -> [UInt8] {
        der.withUnsafeBufferPointer { buffer -> [UInt8] in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let pair = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else { return [] }
            defer { ECDSA_SIG_free(pair) }
            var raw = [UInt8](repeating: 0, count: 2 * half)
            raw.withUnsafeMutableBufferPointer { output in
                _ = BN_bn2binpad(ECDSA_SIG_get0_r(pair), output.baseAddress, Int32(half))
                _ = BN_bn2binpad(ECDSA_SIG_get0_s(pair), output.baseAddress.map { $0 + half }, Int32(half))
            }
            return raw
        }
    }

    private func bigNumber(_ name: String) -> [UInt8]? {
        var number: OpaquePointer? = nil
        guard let privateKey, EVP_PKEY_get_bn_param(privateKey, name, &number) == 1, let number else { return nil }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        _ = BN_bn2bin(number, &bytes)
        return bytes
    }
}
