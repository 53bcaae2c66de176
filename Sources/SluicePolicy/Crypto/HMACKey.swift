import COpenSSL
import SluiceConfig

/// A shared HMAC secret for HS256/384/512 (RFC 7518 §3.2), at least as long as the hash output.
/// It can only compute HMACs with its own hash: a public key never becomes an HMAC secret here,
/// because public keys are a different type (`JWTPublicKey`) chosen by the key's configured
/// algorithm, never by the token.
///
/// Owns a keyed `EVP_MAC_CTX` template (freed on deinit); each message is authenticated on a
/// duplicate of it, so the key schedule and the algorithm fetch happen once, not per token.
/// `@unchecked Sendable` is safe: the template is never updated after init, only read by
/// `EVP_MAC_CTX_dup`, which OpenSSL allows from several threads at once.
public final class HMACKey: @unchecked Sendable {
    public let algorithm: JWTAlgorithm
    private let keyed: OpaquePointer

    /// Refuses a non-HMAC algorithm and a secret shorter than RFC 7518 §3.2 allows.
    public init(secret: [UInt8], algorithm: JWTAlgorithm) throws(JWTKeyError) {
        guard algorithm.isHMAC, let name = algorithm.openSSLDigestName, let minimum = algorithm.minimumSecretBytes else {
            throw JWTKeyError(kind: .wrongKeyType(expected: "a public key, not a shared secret"), algorithm: algorithm, detail: "")
        }
        guard secret.count >= minimum else {
            throw JWTKeyError(kind: .secretTooShort(minimumBytes: minimum), algorithm: algorithm, detail: "")
        }
        let keyed = secret.withUnsafeBufferPointer { sluice_hmac_context(name, $0.baseAddress, $0.count) }
        guard let keyed else {
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm, detail: "OpenSSL cannot key HMAC-\(name)")
        }
        self.keyed = keyed
        self.algorithm = algorithm
    }

    deinit { EVP_MAC_CTX_free(keyed) }

    /// True when `signature` is this key's HMAC of `signingInput`, compared in constant time
    /// (`CRYPTO_memcmp`) so timing reveals nothing about the expected value.
    func verify(signingInput: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { output in
            guard let length = authenticate(signingInput, into: output), length == signature.count,
                  let expected = output.baseAddress, let given = signature.baseAddress else { return false }
            return CRYPTO_memcmp(expected, given, length) == 0
        }
    }

    /// The HMAC of `message` (for `JWTSigner`).
    func authenticationCode(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { output in
            guard let length = authenticate(message, into: output) else { return [] }
            return Array(output[0..<length])
        }
    }

    private func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard let context = EVP_MAC_CTX_dup(keyed) else { return nil }
        defer { EVP_MAC_CTX_free(context) }
        var length = 0
        guard EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1,
              EVP_MAC_final(context, output.baseAddress, &length, output.count) == 1 else {
            ERR_clear_error()
            return nil
        }
        return length
    }
}
