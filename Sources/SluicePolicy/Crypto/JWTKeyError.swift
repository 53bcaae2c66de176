import SluiceConfig

/// Why a JWT verification key (PEM, JWK or HMAC secret) was refused when a config was compiled.
/// Says what is wrong and, for a JWK, which member; never carries key material.
public struct JWTKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// OpenSSL could not read the PEM block (or build a key from the JWK) as a public key.
        case unreadable
        /// The key's type does not fit the algorithm (e.g. an EC key for RS256, a JWK `kty` of
        /// `EC` for RS256).
        case wrongKeyType(expected: String)
        /// Too weak for the algorithm (RSA under 2048 bits, RFC 7518 §3.3) or the wrong curve.
        case wrongSize(expected: String)
        /// The JWK is not a JSON object, or a required member is missing (RFC 7518 §6).
        case missingMember(String)
        /// A JWK member has the wrong JSON type, is not strict base64url, or has the wrong length.
        case invalidMember(String, expected: String)
        /// The JWK carries a private-key member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`): a
        /// verification key must be public only, and a config must not spread private keys.
        case privateMember(String)
        /// The JWK's own `alg`, `kid` or `use` disagrees with the key entry.
        case conflictingMember(String)
        /// The EC point is not on the named curve (or OpenSSL's public-key check refused it).
        case notOnCurve
        /// An HMAC secret shorter than the hash output (RFC 7518 §3.2).
        case secretTooShort(minimumBytes: Int)
    }

    public var kind: Kind
    public var algorithm: JWTAlgorithm
    /// OpenSSL's own reason, when it gave one.
    public var detail: String

    public init(kind: Kind, algorithm: JWTAlgorithm, detail: String) {
        self.kind = kind
        self.algorithm = algorithm
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .unreadable:
            return "OpenSSL cannot read this public key for \(algorithm.rawValue)" + (detail.isEmpty ? "" : ": \(detail)")
        case .wrongKeyType(let expected):
            return "\(algorithm.rawValue) needs \(expected)"
        case .wrongSize(let expected):
            return "\(algorithm.rawValue) needs \(expected)"
        case .missingMember(let member):
            return "the JWK for \(algorithm.rawValue) has no \"\(member)\" member"
        case .invalidMember(let member, let expected):
            return "the JWK member \"\(member)\" must be \(expected)"
        case .privateMember(let member):
            return "the JWK holds the private member \"\(member)\": give the public key only"
        case .conflictingMember(let member):
            return "the JWK member \"\(member)\" disagrees with the key entry"
        case .notOnCurve:
            return "the JWK's EC point is not a valid public key on its curve" + (detail.isEmpty ? "" : ": \(detail)")
        case .secretTooShort(let minimum):
            return "\(algorithm.rawValue) needs a secret of at least \(minimum) bytes (RFC 7518 §3.2)"
        }
    }
}
