extension JWTKeyConfig {
    /// Checks the key material matches `alg` (an HMAC secret or oct JWK for `HS*`, a public key
    /// otherwise, exactly one of `secret`, `public_key_pem` and `jwk`: a public key used as an HMAC
    /// secret is the classic algorithm-confusion attack), and the claim checks' own fields.
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ field: String, _ message: String) {
            problems.append(ConfigProblem(pointer: pointer + field, message: message))
        }
        if let message = FieldSyntax.textProblem(kid, what: "kid") { report("/kid", message) }
        if let minimum = alg.minimumSecretBytes {
            if publicKeyPEM != nil { report("/public_key_pem", "\(alg.rawValue) keys take a secret or a jwk, not public_key_pem") }
            if let secret {
                if secret.count < minimum {
                    report("/secret", "\(alg.rawValue) secret must be at least \(minimum) bytes (RFC 7518 §3.2), got \(secret.count)")
                } else if secret.count > JWTKeyConfig.maximumSecretBytes {
                    report("/secret", "secret must be at most \(JWTKeyConfig.maximumSecretBytes) bytes")
                }
                if jwk != nil { report("/jwk", "give either secret or jwk, not both") }
            } else if publicKeyPEM == nil && jwk == nil {
                report("/secret", "\(alg.rawValue) keys need a secret (or a jwk)")
            }
        } else {
            if secret != nil { report("/secret", "\(alg.rawValue) keys take public_key_pem or a jwk, not a secret") }
            if let publicKeyPEM {
                if let message = FieldSyntax.publicKeyPEMProblem(publicKeyPEM) { report("/public_key_pem", message) }
                if jwk != nil { report("/jwk", "give either public_key_pem or jwk, not both") }
            } else if secret == nil && jwk == nil {
                report("/public_key_pem", "\(alg.rawValue) keys need public_key_pem (or a jwk)")
            }
        }
        if let jwk { problems += JWKSyntax.problems(jwk, alg: alg, kid: kid, at: pointer + "/jwk") }
        if let issuer, let message = FieldSyntax.textProblem(issuer, what: "issuer") { report("/issuer", message) }
        if audiences.count > JWTKeyConfig.maximumAudiences {
            report("/audiences", "a key may list at most \(JWTKeyConfig.maximumAudiences) audiences")
        }
        for (index, audience) in audiences.prefix(JWTKeyConfig.maximumAudiences).enumerated() {
            if let message = FieldSyntax.textProblem(audience, what: "audience") {
                report("/audiences/\(index)", message)
            } else if FieldSyntax.repeatsEarlier(audiences, at: index) {
                report("/audiences/\(index)", "duplicate audience \"\(audience)\"")
            }
        }
        if !JWTKeyConfig.leewaySecondsRange.contains(leewaySeconds) {
            report("/leeway_seconds", "leeway_seconds must be 0…300")
        }
        return problems
    }
}
