import SluiceConfig
@testable import SluicePolicy

/// Keys and tokens shared by the JWT tests: one generated signer per algorithm (RSA key
/// generation is slow, so each is made once per test process), and helpers that build key sets
/// and mint tokens with `JWTSigner` (OpenSSL).
enum JWTFixtures {
    /// A fixed "now" for minted tokens: 2027-01-15.
    static let now: Double = 1_800_000_000

    static let signers: [JWTAlgorithm: JWTSigner] = {
        var signers: [JWTAlgorithm: JWTSigner] = [:]
        for algorithm in JWTAlgorithm.allCases {
            signers[algorithm] = try? JWTSigner(generating: algorithm)
        }
        return signers
    }()

    struct MissingSigner: Error {}

    static func signer(_ algorithm: JWTAlgorithm) throws -> JWTSigner {
        guard let signer = signers[algorithm] else { throw MissingSigner() }
        return signer
    }

    /// The verification material for a signer: its secret (HS*) or its public PEM.
    static func material(_ signer: JWTSigner) throws -> JWTKeyMaterial {
        if let secret = signer.secret { return try .secret(secret, algorithm: signer.algorithm) }
        return try .publicKeyPEM(signer.publicKeyPEM ?? "", algorithm: signer.algorithm)
    }

    static func key(_ signer: JWTSigner, kid: String = "k1", issuer: String? = nil, audiences: [String] = [],
                    leeway: Int = 30) throws -> JWTKey {
        JWTKey(kid: kid, material: try material(signer), issuer: issuer, audiences: audiences, leewaySeconds: leeway)
    }

    static func verifier(_ signer: JWTSigner, kid: String = "k1", issuer: String? = nil, audiences: [String] = [],
                         leeway: Int = 30, cacheCapacity: Int = JWTVerifier.defaultCacheCapacity) throws -> JWTVerifier {
        let keySet = JWTKeySet(keys: [try key(signer, kid: kid, issuer: issuer, audiences: audiences, leeway: leeway)])
        return JWTVerifier(keySet: keySet, cacheCapacity: cacheCapacity)
    }

    /// A token with header `{"alg":…,"kid":…}` (kid omitted when nil) and these claims.
    static func mint(_ signer: JWTSigner, kid: String? = "k1",
                     claims: String = #"{"sub":"user-42","exp":1800000600}"#) -> String {
        let header = kid.map { #"{"alg":"\#(signer.algorithm.rawValue)","kid":"\#($0)"}"# }
            ?? #"{"alg":"\#(signer.algorithm.rawValue)"}"#
        return signer.token(header: header, payload: claims)
    }

    /// `header.payload.signature` with arbitrary segment texts, base64url-encoded.
    static func unsignedToken(header: String, payload: String = "{}", signature: [UInt8] = []) -> String {
        Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "." + Base64URL.encode(signature)
    }

    /// The thrown `JWTError`, or nil when the token verified.
    static func refusal(_ verifier: JWTVerifier, _ token: String, now: Double = now) -> JWTError? {
        do {
            _ = try verifier.verify(token, now: now)
            return nil
        } catch {
            return error
        }
    }
}

extension VerifiedTokenCache {
    static func fingerprint(of token: String) -> UInt64 {
        var token = token
        return token.withUTF8 { fingerprint(of: UnsafeRawBufferPointer($0)) }
    }
}
