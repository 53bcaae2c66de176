import SluiceConfig

extension JWTAlgorithm {
    /// OpenSSL's name for the algorithm's hash (RFC 7518 §3.1); nil for EdDSA (RFC 8037 §3.1:
    /// Ed25519 signs the message itself).
    var openSSLDigestName: String? {
        switch self {
        case .hs256, .rs256, .ps256, .es256: "SHA256"
        case .hs384, .rs384, .ps384, .es384: "SHA384"
        case .hs512, .rs512, .ps512, .es512: "SHA512"
        case .edDSA: nil
        }
    }

    /// The length of one of r and s in a JWS ECDSA signature (RFC 7518 §3.4: the curve's
    /// order size in bytes — 32, 48, 66); nil for other algorithms.
    var ecdsaHalfLength: Int? {
        switch self {
        case .es256: 32
        case .es384: 48
        case .es512: 66
        default: nil
        }
    }

    /// The JWK `crv` for an ECDSA algorithm (RFC 7518 §6.2.1.1) and OpenSSL's group name.
    var ecCurve: (jwk: String, openSSL: String)? {
        switch self {
        case .es256: ("P-256", "prime256v1")
        case .es384: ("P-384", "secp384r1")
        case .es512: ("P-521", "secp521r1")
        default: nil
        }
    }

    /// True for the RSASSA-PSS algorithms (RFC 7518 §3.5).
    var isPSS: Bool {
        self == .ps256 || self == .ps384 || self == .ps512
    }
}
