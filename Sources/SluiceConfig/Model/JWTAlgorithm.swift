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

    /// The JWK `kty` of the algorithm's keys (RFC 7518 §6.1, RFC 8037 §2): `oct`, `RSA`, `EC` or `OKP`.
    public var jwkKeyType: String {
        switch self {
        case .hs256, .hs384, .hs512: "oct"
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: "RSA"
        case .es256, .es384, .es512: "EC"
        case .edDSA: "OKP"
        }
    }

    /// The JWK `crv` of an ECDSA algorithm (RFC 7518 §3.4, §6.2.1.1); nil for the others.
    public var jwkCurve: String? {
        switch self {
        case .es256: "P-256"
        case .es384: "P-384"
        case .es512: "P-521"
        default: nil
        }
    }

    /// The byte size of an ECDSA algorithm's curve coordinates, which is also the size of each
    /// of r and s in its JWS signatures (RFC 7518 §3.4, §6.2.1.2): 32, 48, 66; nil for the others.
    public var ecCoordinateBytes: Int? {
        switch self {
        case .es256: 32
        case .es384: 48
        case .es512: 66
        default: nil
        }
    }

    /// JWK members that only private keys carry (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). `k` is
    /// not one: it is the secret of an `oct` key, which HS* needs.
    public static let privateJWKMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"]
}
