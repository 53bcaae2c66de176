import SluiceConfig

/// Verifies compact-JWS JWTs (RFC 7515 §7.1, RFC 7519) against one `JWTKeySet`, with a
/// verified-token cache so a public-key signature is checked once per token, not per request.
///
/// Thread affinity: one verifier per worker thread, never shared (it owns its cache; no locks).
/// The key set it holds is immutable and shared. A new config means `replaceKeySet(_:)` (which
/// empties the cache when the set changed) or a new verifier.
///
/// What is refused (see `JWTError`): tokens over `maximumTokenBytes`; anything but three strict
/// base64url segments; a header that is not a JSON object, without a string `alg`, with `alg`
/// `none` in any spelling or an unknown `alg`, with `crit`; a `kid` that names no key; an `alg`
/// other than the selected key's (so a public key never becomes an HMAC secret); a signature
/// that does not verify; a payload that is not a JSON object or whose `exp`/`nbf` are not
/// numbers or `iss`/`sub`/`aud` are of the wrong type; `exp`/`nbf` outside the key's leeway; an
/// `iss` other than the key's issuer (when set); an `aud` naming none of the key's audiences
/// (when set; a missing `aud` then fails too). Header members `jku`, `x5u`, `jwk`, `x5c` are
/// never read: keys come only from the key set. `exp` is not required (RFC 7519 makes every
/// claim optional): a token without `exp` is valid until its key is removed, and is cached
/// until LRU eviction or the next key set. Issuers who need expiry must set `exp`.
///
/// Cost: a cache hit is a hash of the token's tail, one lookup, a constant-time comparison with
/// the cached token and a list relink, with no allocation. A miss parses the header (remembered
/// for the next token with the same header bytes) and payload with `JSONParser` and runs one
/// OpenSSL verification per candidate key (one with a `kid`; without `kid`, every key of the header's
/// `alg` until one verifies).
public final class JWTVerifier {
    public static let defaultCacheCapacity = 4096
    public static let defaultMaximumTokenBytes = 8192
    /// Bytes of cached tokens kept at most (4096 typical 600-byte tokens take 2.4 MiB).
    public static let defaultMaximumCachedBytes = 8 << 20

    public private(set) var keySet: JWTKeySet
    /// Tokens longer than this are refused before any work (`JWTError.tooLarge`).
    public let maximumTokenBytes: Int
    /// OpenSSL signature verifications run so far (each candidate key counts): for metrics and
    /// tests proving a cache hit costs none.
    public internal(set) var signatureVerifications = 0
    /// Tokens served from the cache so far.
    public private(set) var cacheHits = 0
    var cache: VerifiedTokenCache
    /// Recently parsed header segments (at most `recentHeaderCapacity`, oldest first): headers
    /// are public and repeat across an issuer's tokens, so reusing the parse is safe.
    var recentHeaders: [(segment: [UInt8], header: JWTHeader)] = []
    static let recentHeaderCapacity = 8

    /// `cacheCapacity` tokens and `maximumCachedBytes` of their bytes bound the cache (0
    /// disables it); `maximumTokenBytes` bounds a token.
    public init(keySet: JWTKeySet, cacheCapacity: Int = defaultCacheCapacity,
                maximumCachedBytes: Int = defaultMaximumCachedBytes,
                maximumTokenBytes: Int = defaultMaximumTokenBytes) {
        self.keySet = keySet
        self.maximumTokenBytes = maximumTokenBytes
        cache = VerifiedTokenCache(capacity: cacheCapacity, maximumBytes: maximumCachedBytes)
    }

    /// Switches to a new config's key set. The cache is emptied unless it is the same set, so
    /// the tokens of a removed key stop passing at once.
    public func replaceKeySet(_ newKeySet: JWTKeySet) {
        guard newKeySet !== keySet else { return }
        keySet = newKeySet
        cache.removeAll()
    }

    /// Verifies `token` (the bytes after `Bearer `) at `now` (seconds since the Unix epoch).
    public func verify(_ token: UnsafeRawBufferPointer, now: Double) throws(JWTError) -> VerifiedToken {
        guard token.count <= maximumTokenBytes else { throw .tooLarge(limit: maximumTokenBytes) }
        guard !token.isEmpty else { throw .malformed(.segments) }
        let fingerprint = VerifiedTokenCache.fingerprint(of: token)
        if let hit = cache.lookup(token, fingerprint: fingerprint, now: now) {
            cacheHits &+= 1
            return hit
        }
        let accepted = try verifyUncached(token, now: now)
        cache.insert(token, fingerprint: fingerprint, verified: accepted.token,
                     validFrom: accepted.validFrom, validUntil: accepted.validUntil)
        return accepted.token
    }

    public func verify(_ token: [UInt8], now: Double) throws(JWTError) -> VerifiedToken {
        try token.withUnsafeBytes { bytes in Result { () throws(JWTError) in try verify(bytes, now: now) } }.get()
    }

    public func verify(_ token: String, now: Double) throws(JWTError) -> VerifiedToken {
        var token = token
        return try token.withUTF8 { bytes in
            Result { () throws(JWTError) in try verify(UnsafeRawBufferPointer(bytes), now: now) }
        }.get()
    }
}
