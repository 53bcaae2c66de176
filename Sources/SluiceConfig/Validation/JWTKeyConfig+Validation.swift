extension JWTKeyConfig {
    /// Checks the key material matches `alg` (an HMAC secret for `HS*`, a public key otherwise,
    /// never both: a public key used as an HMAC secret is the classic algorithm-confusion attack).
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ field: String, _ message: String) {
            problems.append(ConfigProblem(pointer: pointer + field, message: message))
        }
        if let message = FieldSyntax.textProblem(kid, what: "kid") { report("/kid", message) }
        if let minimum = alg.minimumSecretBytes {
            if publicKeyPEM != nil { report("/public_key_pem", "\(alg.rawValue) keys take a secret, not public_key_pem") }
            if let secret {
                if secret.count < minimum {
                    report("/secret", "\(alg.rawValue) secret must be at least \(minimum) bytes (RFC 7518 §3.2), got \(secret.count)")
                } else if secret.count > JWTKeyConfig.maximumSecretBytes {
                    report("/secret", "secret must be at most \(JWTKeyConfig.maximumSecretBytes) bytes")
                }
            } else if publicKeyPEM == nil {
                report("/secret", "\(alg.rawValue) keys need a secret")
            }
        } else {
            if secret != nil { report("/secret", "\(alg.rawValue) keys take public_key_pem, not a secret") }
            if let publicKeyPEM {
                if let message = FieldSyntax.publicKeyPEMProblem(publicKeyPEM) { report("/public_key_pem", message) }
            } else if secret == nil {
                report("/public_key_pem", "\(alg.rawValue) keys need public_key_pem")
            }
        }
        if let issuer, let message = FieldSyntax.textProblem(issuer, what: "issuer") { report("/issuer", message) }
        if let audience, let message = FieldSyntax.textProblem(audience, what: "audience") { report("/audience", message) }
        return problems
    }
}
