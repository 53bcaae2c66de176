/// A JWS signature algorithm a key is for (RFC 7518 §3.1, RFC 8037 for EdDSA). A key is used
/// only with its own algorithm.
public enum JWTAlgorithm: String, Sendable, Equatable, CaseIterable {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case edDSA = "EdDSA"

    /// True for the HMAC algorithms, whose key is a shared `secret`.
    public var isHMAC: Bool {
        self == .hs256 || self == .hs384 || self == .hs512
    }

    /// The shortest HMAC secret RFC 7518 §3.2 allows: the hash output size (32, 48 or 64 bytes);
    /// nil for public-key algorithms.
    public var minimumSecretBytes: Int? {
        switch self {
        case .hs256: 32
        case .hs384: 48
        case .hs512: 64
        default: nil
        }
    }
}
