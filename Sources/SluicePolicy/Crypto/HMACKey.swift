import COpenSSL
import SluiceConfig

/// A shared HMAC secret for HS256/384/512 (RFC 7518 §3.2), at least as long as the hash output.
/// It can only compute HMACs with its own hash: a public key never becomes an HMAC secret here,
/// because public keys are a different type (`JWTPublicKey`) chosen by the key's configured
/// algorithm, never by the token.
///
/// `@unchecked Sendable` is safe: the secret and the fetched `EVP_MD` are never mutated after
/// init, and OpenSSL's one-shot `HMAC()` uses its own context per call.
public final class HMACKey: @unchecked Sendable {
    public let algorithm: JWTAlgorithm
    private let secret: [UInt8]
    private let digest: OpaquePointer

    /// Refuses a non-HMAC algorithm and a secret shorter than RFC 7518 §3.2 allows.
    public init(secret: [UInt8], algorithm: JWTAlgorithm) throws(JWTKeyError) {
        guard algorithm.isHMAC, let name = algorithm.openSSLDigestName, let minimum = algorithm.minimumSecretBytes else {
            throw JWTKeyError(kind: .wrongKeyType(expected: "a public key, not a shared secret"), algorithm: algorithm, detail: "")
        }
        guard secret.count >= minimum else {
            throw JWTKeyError(kind: .secretTooShort(minimumBytes: minimum), algorithm: algorithm, detail: "")
        }
        guard let digest = EVP_MD_fetch(nil, name, nil) else {
            throw JWTKeyError(kind: .unreadable, algorithm: algorithm, detail: "OpenSSL has no \(name)")
        }
        self.secret = secret
        self.digest = digest
        self.algorithm = algorithm
    }

    deinit { EVP_MD_free(digest) }

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
        var length: UInt32 = 0
        let result = secret.withUnsafeBytes { key in
            HMAC(digest, key.baseAddress, Int32(key.count),
                 message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count,
                 output.baseAddress, &length)
        }
        guard result != nil else {
            ERR_clear_error()
            return nil
        }
        return Int(length)
    }
}
