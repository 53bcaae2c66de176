import SluiceConfig

/// The JOSE header members a verifier acts on (RFC 7515 §4.1). Everything else is ignored; in
/// particular `jku`, `x5u`, `jwk` and `x5c` are never read, so a token cannot bring its own key.
struct JWTHeader {
    var algorithm: JWTAlgorithm
    var kid: String?

    init(parsing bytes: [UInt8]) throws(JWTError) {
        let header: JSONValue
        do {
            header = try JSONParser.parse(bytes)
        } catch {
            throw .malformed(.headerJSON)
        }
        guard case .object = header else { throw .malformed(.headerJSON) }
        guard case .string(let alg)? = header["alg"] else { throw .malformed(.alg) }
        // RFC 7518 §3.6 unsecured JWS, refused in every spelling ("none", "None", "NONE", ...).
        if alg.lowercased() == "none" { throw .algNone }
        guard let algorithm = JWTAlgorithm(rawValue: alg) else { throw .unsupportedAlgorithm }
        // RFC 7515 §4.1.11: crit names extensions the recipient must understand; we know none.
        if let crit = header["crit"] {
            guard case .array(let names) = crit, !names.isEmpty,
                  names.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                throw .malformed(.crit)
            }
            throw .unsupportedCrit
        }
        switch header["kid"] {
        case nil: kid = nil
        case .string(let value)?: kid = value
        default: throw .malformed(.kid)
        }
        self.algorithm = algorithm
    }
}
