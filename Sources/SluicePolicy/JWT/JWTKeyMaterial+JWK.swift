import SluiceConfig

extension JWTKeyMaterial {
    /// A JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) for `algorithm`: `kty` `RSA` {n, e} for
    /// RS*/PS*, `EC` {crv, x, y} for ES* (crv must be the algorithm's curve, x and y exactly its
    /// size, the point on the curve), `OKP` {crv `Ed25519`, x} for EdDSA, `oct` {k} for HS*.
    /// Refuses private members, bad base64url, and `alg`/`kid`/`use`/`key_ops` members that
    /// disagree with the entry (`kid`: the entry's kid, when given).
    public static func jwk(_ jwk: JSONValue, algorithm: JWTAlgorithm, kid: String?) throws(JWTKeyError) -> JWTKeyMaterial {
        guard case .object = jwk else {
            throw JWTKeyError(kind: .invalidMember("jwk", expected: "a JSON object"), algorithm: algorithm, detail: "")
        }
        for member in JWTAlgorithm.privateJWKMembers where jwk[member] != nil {
            throw JWTKeyError(kind: .privateMember(member), algorithm: algorithm, detail: "")
        }
        let kty = try string(jwk, "kty", algorithm)
        if let alg = jwk["alg"], alg != .string(algorithm.rawValue) {
            throw JWTKeyError(kind: .conflictingMember("alg"), algorithm: algorithm, detail: "")
        }
        if let kid, let own = jwk["kid"], own != .string(kid) {
            throw JWTKeyError(kind: .conflictingMember("kid"), algorithm: algorithm, detail: "")
        }
        if let use = jwk["use"], use != .string("sig") {
            throw JWTKeyError(kind: .conflictingMember("use"), algorithm: algorithm, detail: "")
        }
        if let operations = jwk["key_ops"] {
            guard case .array(let list) = operations, list.contains(.string("verify")) else {
                throw JWTKeyError(kind: .conflictingMember("key_ops"), algorithm: algorithm, detail: "")
            }
        }
        switch algorithm {
        case .hs256, .hs384, .hs512:
            try expect(kty, algorithm.jwkKeyType, "an oct JWK (a shared secret)", algorithm)
            return try .secret(bytes(jwk, "k", algorithm), algorithm: algorithm)
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
            try expect(kty, algorithm.jwkKeyType, "an RSA key", algorithm)
            let modulus = try bytes(jwk, "n", algorithm)
            let exponent = try bytes(jwk, "e", algorithm)
            return .publicKey(try JWTPublicKey.rsa(modulus: modulus, exponent: exponent, algorithm: algorithm))
        case .es256, .es384, .es512:
            try expect(kty, algorithm.jwkKeyType, "an EC key", algorithm)
            guard let curve = algorithm.jwkCurve, let size = algorithm.ecCoordinateBytes else {
                throw JWTKeyError(kind: .wrongKeyType(expected: "an EC key"), algorithm: algorithm, detail: "")
            }
            guard try string(jwk, "crv", algorithm) == curve else {
                throw JWTKeyError(kind: .wrongSize(expected: "a key on the \(curve) curve"), algorithm: algorithm, detail: "")
            }
            let x = try bytes(jwk, "x", algorithm, length: size)
            let y = try bytes(jwk, "y", algorithm, length: size)
            return .publicKey(try JWTPublicKey.ec(x: x, y: y, algorithm: algorithm))
        case .edDSA:
            try expect(kty, algorithm.jwkKeyType, "an Ed25519 key", algorithm)
            guard try string(jwk, "crv", algorithm) == "Ed25519" else {
                throw JWTKeyError(kind: .wrongKeyType(expected: "an Ed25519 key"), algorithm: algorithm, detail: "")
            }
            return .publicKey(try JWTPublicKey.ed25519(x: bytes(jwk, "x", algorithm, length: 32)))
        }
    }

    /// A JWK given as JSON text (parsed strictly by `JSONParser`: duplicate members refused).
    public static func jwk(json: String, algorithm: JWTAlgorithm, kid: String?) throws(JWTKeyError) -> JWTKeyMaterial {
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw JWTKeyError(kind: .invalidMember("jwk", expected: "a JSON object (\(error.description))"),
                              algorithm: algorithm, detail: "")
        }
        return try jwk(value, algorithm: algorithm, kid: kid)
    }

    private static func expect(_ kty: String, _ wanted: String, _ expected: String, _ algorithm: JWTAlgorithm) throws(JWTKeyError) {
        guard kty == wanted else {
            throw JWTKeyError(kind: .wrongKeyType(expected: expected), algorithm: algorithm, detail: "")
        }
    }

    private static func string(_ jwk: JSONValue, _ member: String, _ algorithm: JWTAlgorithm) throws(JWTKeyError) -> String {
        guard let value = jwk[member] else {
            throw JWTKeyError(kind: .missingMember(member), algorithm: algorithm, detail: "")
        }
        guard case .string(let text) = value else {
            throw JWTKeyError(kind: .invalidMember(member, expected: "a string"), algorithm: algorithm, detail: "")
        }
        return text
    }

    private static func bytes(_ jwk: JSONValue, _ member: String, _ algorithm: JWTAlgorithm,
                              length: Int? = nil) throws(JWTKeyError) -> [UInt8] {
        let text = try string(jwk, member, algorithm)
        guard let decoded = Base64URL.decode(text), !decoded.isEmpty else {
            throw JWTKeyError(kind: .invalidMember(member, expected: "non-empty base64url without padding"),
                              algorithm: algorithm, detail: "")
        }
        if let length, decoded.count != length {
            throw JWTKeyError(kind: .invalidMember(member, expected: "exactly \(length) bytes"), algorithm: algorithm, detail: "")
        }
        return decoded
    }
}
