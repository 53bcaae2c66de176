import SluiceConfig

extension JWTVerifier {
    struct Accepted {
        var token: VerifiedToken
        /// Cache bounds: `nbf - leeway` and `exp` (see `VerifiedTokenCache`).
        var validFrom: Double
        var validUntil: Double
    }

    /// The full check of a token not in the cache: structure, header, signature, claims.
    func verifyUncached(_ token: UnsafeRawBufferPointer, now: Double) throws(JWTError) -> Accepted {
        // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
        guard let firstDot = token.firstIndex(of: UInt8(ascii: ".")),
              let secondDot = token[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
              !token[(secondDot + 1)...].contains(UInt8(ascii: ".")) else {
            throw .malformed(.segments)
        }
        let header = try parsedHeader(UnsafeRawBufferPointer(rebasing: token[..<firstDot]))
        guard let signature = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[(secondDot + 1)...])) else {
            throw .malformed(.signatureEncoding)
        }
        let signingInput = UnsafeRawBufferPointer(rebasing: token[..<secondDot])
        let key = try verifiedKey(for: header, signingInput: signingInput, signature: signature)

        guard let payloadBytes = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])) else {
            throw .malformed(.payloadEncoding)
        }
        let claims = try JWTClaims(parsing: payloadBytes)
        let leeway = Double(key.leewaySeconds)
        // RFC 7519 §4.1.4: now must be before exp; §4.1.5: now must be at or after nbf.
        if let expiration = claims.expiration, now >= expiration + leeway { throw .expired }
        if let notBefore = claims.notBefore, now < notBefore - leeway { throw .notYetValid }
        if let issuer = key.issuer, claims.issuer != issuer { throw .wrongIssuer }
        if !key.audiences.isEmpty, !claims.audiences.contains(where: { key.audiences.contains($0) }) {
            throw .wrongAudience
        }
        let verified = VerifiedToken(kid: key.kid, subject: claims.subject, expiration: claims.expiration,
                                     notBefore: claims.notBefore, claims: claims.members)
        return Accepted(token: verified, validFrom: (claims.notBefore ?? -.infinity) - leeway,
                        validUntil: claims.expiration ?? .infinity)
    }

    /// The header of an encoded header segment. An issuer's tokens share one header segment, so
    /// the last few parsed (valid) headers are remembered by their exact bytes.
    private func parsedHeader(_ segment: UnsafeRawBufferPointer) throws(JWTError) -> JWTHeader {
        for entry in recentHeaders where entry.segment.elementsEqual(segment) {
            return entry.header
        }
        guard let headerBytes = Base64URL.decode(segment) else { throw .malformed(.headerEncoding) }
        let header = try JWTHeader(parsing: headerBytes)
        if recentHeaders.count == JWTVerifier.recentHeaderCapacity { recentHeaders.removeFirst() }
        recentHeaders.append((Array(segment), header))
        return header
    }

    /// Selects the key and checks the signature. With `kid`: that key only, and its algorithm
    /// must be the header's. Without: every key of the header's algorithm, in config order.
    private func verifiedKey(for header: JWTHeader, signingInput: UnsafeRawBufferPointer,
                             signature: [UInt8]) throws(JWTError) -> JWTKey {
        if let kid = header.kid {
            guard let key = keySet.key(kid: kid) else { throw .unknownKid }
            guard key.algorithm == header.algorithm else { throw .algMismatch }
            guard check(key, signingInput: signingInput, signature: signature) else { throw .badSignature }
            return key
        }
        let candidates = keySet.keyIndices(for: header.algorithm)
        guard !candidates.isEmpty else { throw .unknownKid }
        for index in candidates {
            let key = keySet.keys[index]
            if check(key, signingInput: signingInput, signature: signature) { return key }
        }
        throw .badSignature
    }

    private func check(_ key: JWTKey, signingInput: UnsafeRawBufferPointer, signature: [UInt8]) -> Bool {
        signatureVerifications &+= 1
        return signature.withUnsafeBytes { key.material.verify(signingInput: signingInput, signature: $0) }
    }
}
