import SluiceConfig

/// The registered claims a verifier checks (RFC 7519 §4.1), read from a payload that must be a
/// JSON object. Types are enforced: `exp`/`nbf` NumericDate (integer or fraction), `iss`/`sub`
/// strings, `aud` a string or an array of strings (§4.1.3). Other claims are kept as they are.
struct JWTClaims {
    var members: [JSONValue.Member]
    var expiration: Double?
    var notBefore: Double?
    var issuer: String?
    var subject: String?
    var audiences: [String] = []

    init(parsing bytes: [UInt8]) throws(JWTError) {
        let payload: JSONValue
        do {
            payload = try JSONParser.parse(bytes)
        } catch {
            throw .malformed(.payloadJSON)
        }
        guard case .object(let members) = payload else { throw .malformed(.payloadJSON) }
        self.members = members
        expiration = try Self.numericDate(payload["exp"], .exp)
        notBefore = try Self.numericDate(payload["nbf"], .nbf)
        issuer = try Self.string(payload["iss"], .iss)
        subject = try Self.string(payload["sub"], .sub)
        switch payload["aud"] {
        case nil: break
        case .string(let audience)?: audiences = [audience]
        case .array(let list)?:
            for element in list {
                guard case .string(let audience) = element else { throw .malformed(.claim(.aud)) }
                audiences.append(audience)
            }
        default: throw .malformed(.claim(.aud))
        }
    }

    private static func numericDate(_ value: JSONValue?, _ claim: JWTError.RegisteredClaim) throws(JWTError) -> Double? {
        switch value {
        case nil: nil
        case .integer(let seconds)?: Double(seconds)
        case .number(let seconds)?: seconds
        default: throw .malformed(.claim(claim))
        }
    }

    private static func string(_ value: JSONValue?, _ claim: JWTError.RegisteredClaim) throws(JWTError) -> String? {
        switch value {
        case nil: nil
        case .string(let text)?: text
        default: throw .malformed(.claim(claim))
        }
    }
}
