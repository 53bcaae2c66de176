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

    /// OpenSSL's group name for an ECDSA algorithm's curve (`jwkCurve` in JWK terms); nil for
    /// the others.
    var openSSLGroupName: String? {
        switch self {
        case .es256: "prime256v1"
        case .es384: "secp384r1"
        case .es512: "secp521r1"
        default: nil
        }
    }

    /// True for the RSASSA-PSS algorithms (RFC 7518 §3.5).
    var isPSS: Bool {
        self == .ps256 || self == .ps384 || self == .ps512
    }
}
