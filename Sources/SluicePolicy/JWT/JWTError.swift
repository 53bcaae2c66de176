/// Why `JWTVerifier` refused a token: one case per refusal. `description` is fit for
/// `error_description="..."` in `WWW-Authenticate` (RFC 6750 §3): plain ASCII, never `"` or `\`,
/// never the token, a claim's value or key material. `reason` is a short stable label for
/// metrics and logs.
public enum JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Larger than the verifier's size cap (in bytes).
    case tooLarge(limit: Int)
    /// Not a well-formed compact JWS or JWT: which part is wrong.
    case malformed(Part)
    /// `alg` is `none` in any spelling (RFC 7518 §3.6, unsecured JWS): never accepted.
    case algNone
    /// `alg` is not an algorithm we verify (RFC 7518 §3.1 names, RFC 8037 `EdDSA`).
    case unsupportedAlgorithm
    /// The header's `alg` is not the algorithm of the key its `kid` selects.
    case algMismatch
    /// The `kid` names no configured key, or (without `kid`) no key has the header's `alg`.
    case unknownKid
    /// The header has `crit` (RFC 7515 §4.1.11): we understand no extensions, so it is refused.
    case unsupportedCrit
    /// The signature does not verify (including ECDSA signatures of the wrong length or with r
    /// or s zero).
    case badSignature
    /// `exp` (plus leeway) is at or before now (RFC 7519 §4.1.4).
    case expired
    /// `nbf` (minus leeway) is after now (RFC 7519 §4.1.5).
    case notYetValid
    /// `iss` is missing or differs from the key's issuer.
    case wrongIssuer
    /// `aud` is missing or names none of the key's audiences.
    case wrongAudience

    /// The part of a token that is malformed.
    public enum Part: Sendable, Equatable {
        /// Not exactly three `.`-separated segments (a JWE has five; compact JWS only).
        case segments
        case headerEncoding, headerJSON, payloadEncoding, payloadJSON, signatureEncoding
        /// `alg` missing or not a string.
        case alg
        /// `kid` not a string.
        case kid
        /// `crit` not a non-empty array of strings (RFC 7515 §4.1.11).
        case crit
        /// A registered claim of the wrong type: `exp`/`nbf` not numbers, `iss`/`sub` not
        /// strings, `aud` not a string or array of strings.
        case claim(RegisteredClaim)
    }

    /// Claims with a type RFC 7519 §4.1 fixes.
    public enum RegisteredClaim: String, Sendable, Equatable {
        case exp, nbf, iss, sub, aud
    }

    public var reason: String {
        switch self {
        case .tooLarge: "too_large"
        case .malformed: "malformed"
        case .algNone: "alg_none"
        case .unsupportedAlgorithm: "alg_unsupported"
        case .algMismatch: "alg_mismatch"
        case .unknownKid: "unknown_kid"
        case .unsupportedCrit: "unsupported_crit"
        case .badSignature: "bad_signature"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .wrongIssuer: "wrong_issuer"
        case .wrongAudience: "wrong_audience"
        }
    }

    public var description: String {
        switch self {
        case .tooLarge(let limit): "The token is larger than \(limit) bytes"
        case .malformed(let part): part.description
        case .algNone: "Unsigned tokens (alg none) are not accepted"
        case .unsupportedAlgorithm: "The token's signature algorithm is not supported"
        case .algMismatch: "The token's algorithm does not match its key"
        case .unknownKid: "The token's key is unknown"
        case .unsupportedCrit: "The token requires extensions that are not supported (crit)"
        case .badSignature: "The token's signature is invalid"
        case .expired: "The token has expired"
        case .notYetValid: "The token is not valid yet"
        case .wrongIssuer: "The token's issuer is not accepted"
        case .wrongAudience: "The token is not meant for this audience"
        }
    }
}

extension JWTError.Part: CustomStringConvertible {
    public var description: String {
        switch self {
        case .segments: "The token is not a compact JWS of three segments"
        case .headerEncoding: "The token's header is not base64url"
        case .headerJSON: "The token's header is not a JSON object"
        case .payloadEncoding: "The token's payload is not base64url"
        case .payloadJSON: "The token's payload is not a JSON object"
        case .signatureEncoding: "The token's signature is not base64url"
        case .alg: "The token's header has no alg string"
        case .kid: "The token's kid is not a string"
        case .crit: "The token's crit header is malformed"
        case .claim(let claim): "The token's \(claim.rawValue) claim has the wrong type"
        }
    }
}
