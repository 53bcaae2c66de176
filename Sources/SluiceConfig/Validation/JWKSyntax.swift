/// Shape rules for a JWT key's `jwk` member (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2): the key
/// type fits the algorithm, the required members are present and base64url (RFC 7515 §2: URL-safe
/// alphabet, no padding) of the right size, and nothing private is included.
enum JWKSyntax {
    /// The problems of `jwk` as the key material of a `kid`/`alg` key, with pointers under
    /// `pointer` (the `/jwk` member's pointer).
    static func problems(_ jwk: JSONValue, alg: JWTAlgorithm, kid: String, at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ member: String?, _ message: String) {
            problems.append(ConfigProblem(pointer: member.map { JSONPointer.appending(pointer, $0) } ?? pointer, message: message))
        }
        guard case .object(let members) = jwk else {
            report(nil, "jwk must be a JSON object (RFC 7517), found \(jwk.typeName)")
            return problems
        }
        for member in members where JWTAlgorithm.privateJWKMembers.contains(member.key) {
            report(member.key, "jwk must not contain the private key member \"\(member.key)\"; give the public key only")
        }
        /// A string member, reported when missing (if `required`) or of another type.
        func string(_ name: String, required: Bool) -> String? {
            guard let value = jwk[name] else {
                if required { report(name, "required jwk member is missing") }
                return nil
            }
            guard case .string(let text) = value else {
                report(name, "expected string, found \(value.typeName)")
                return nil
            }
            return text
        }
        if let memberAlg = string("alg", required: false), memberAlg != alg.rawValue {
            report("alg", "jwk alg \"\(memberAlg)\" differs from the key's alg \"\(alg.rawValue)\"")
        }
        if let memberKid = string("kid", required: false), memberKid != kid {
            report("kid", "jwk kid differs from the key's kid \"\(kid)\"")
        }
        if let use = string("use", required: false), use != "sig" {
            report("use", "jwk use must be \"sig\" for a signature key")
        }
        let expectedType = alg.jwkKeyType
        guard let kty = string("kty", required: true) else { return problems }
        guard kty == expectedType else {
            report("kty", "\(alg.rawValue) keys need a jwk with kty \"\(expectedType)\", found \"\(kty)\"")
            return problems
        }
        /// A base64url member's bytes, reported when missing, mistyped or not base64url.
        func bytes(_ name: String) -> [UInt8]? {
            guard let text = string(name, required: true) else { return nil }
            guard let decoded = base64URLDecode(text), !decoded.isEmpty else {
                report(name, "jwk \(name) must be non-empty base64url without padding (RFC 7515 §2)")
                return nil
            }
            return decoded
        }
        switch kty {
        case "RSA":
            if let modulus = bytes("n") {
                let significant = modulus.drop { $0 == 0 }
                if significant.count < 256 {
                    report("n", "jwk RSA modulus must be at least 2048 bits, got \(significant.count * 8) or fewer")
                }
            }
            _ = bytes("e")
        case "EC":
            let curve = alg.jwkCurve ?? ""
            if let crv = string("crv", required: true), crv != curve {
                report("crv", "\(alg.rawValue) keys need crv \"\(curve)\", found \"\(crv)\"")
            }
            let size = alg.ecCoordinateBytes ?? 0
            for name in ["x", "y"] {
                if let coordinate = bytes(name), coordinate.count != size {
                    report(name, "jwk \(name) must be the full \(size)-byte coordinate (RFC 7518 §6.2.1), got \(coordinate.count) bytes")
                }
            }
        case "OKP":
            if let crv = string("crv", required: true), crv != "Ed25519" {
                report("crv", "EdDSA keys need crv \"Ed25519\", found \"\(crv)\"")
            }
            if let x = bytes("x"), x.count != 32 {
                report("x", "jwk x must be the 32-byte Ed25519 public key, got \(x.count) bytes")
            }
        default:  // oct
            if let key = bytes("k") {
                let minimum = alg.minimumSecretBytes ?? 0
                if key.count < minimum {
                    report("k", "\(alg.rawValue) key must be at least \(minimum) bytes (RFC 7518 §3.2), got \(key.count)")
                } else if key.count > JWTKeyConfig.maximumSecretBytes {
                    report("k", "jwk k must be at most \(JWTKeyConfig.maximumSecretBytes) bytes")
                }
            }
        }
        return problems
    }

    /// Strict base64url (RFC 4648 §5) without padding, as JWK members are written; nil otherwise.
    static func base64URLDecode(_ text: String) -> [UInt8]? {
        let valid = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
        return valid ? Base64.decode(text) : nil
    }
}
