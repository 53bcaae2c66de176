import SluiceConfig
import SluiceHTTP
import SluicePolicy

/// One worker's policy step: authenticate (JWT / API key / anonymous), identify the consumer,
/// rate-limit by tier, org and route. Owns the worker's `JWTVerifier` (and its verified-token
/// cache), a memo from verified tokens to identities, the reusable rate-limit batch and the
/// header bytes the step produces for the upstream request and the response.
///
/// Per request, a cached token costs a cache hit, a memo hit and the table decision; nothing
/// allocates unless the route forwards claims as headers.
///
/// Thread affinity: its worker's loop.
final class PolicyEvaluator {
    let runtime: PolicyRuntime
    private(set) var policy: CompiledPolicy
    let verifier: JWTVerifier
    var batch = RateLimitBatch()
    /// Verified token → identity for subjects looked up since the last config (bounded).
    var memo: [ObjectIdentifier: (token: VerifiedToken, identity: PolicyIdentity)] = [:]
    static let memoCapacity = 4096
    var addressBytes = [UInt8](repeating: 0, count: 16)

    // Results of the last `evaluate`.
    /// Identity and claim field lines for the upstream head.
    var fieldLines: [UInt8] = []
    /// `RateLimit-Policy` and `RateLimit` values (empty when no limit applied).
    var limitPolicyValue: [UInt8] = []
    var limitValue: [UInt8] = []
    var retryAfterValue: [UInt8] = []
    var identity: PolicyIdentity?
    var refusal: AuthRefusal?
    /// How the limits treated the request (nil: no limit applied), for the access log.
    var limitDecision: AccessLogLimit?
    /// The tier the request was limited under: the consumer's, or `anonymous`/`default` for
    /// traffic keyed by address; nil when no tier applied.
    var tierName: String?
    /// The current request's client address once `client(peer:head:bytes:)` found it; the handler
    /// resets it when a request starts.
    var clientAddress: IPAddress?

    init(runtime: PolicyRuntime, policy: CompiledPolicy = CompiledPolicy()) {
        self.runtime = runtime
        self.policy = policy
        verifier = JWTVerifier(keySet: policy.keySet)
        fieldLines.reserveCapacity(256)
        limitPolicyValue.reserveCapacity(128)
        limitValue.reserveCapacity(64)
    }

    /// Switches to a newer config's policy: changed keys empty the token cache (a removed key's
    /// tokens stop passing at once); unchanged ones (the same `jwt_keys` JSON) keep it, so a
    /// publish that edits a route costs no re-verification. Identities are looked up afresh.
    func adopt(_ newPolicy: CompiledPolicy) {
        guard newPolicy !== policy else { return }
        let sameKeys = newPolicy.keyFingerprint == policy.keyFingerprint
        policy = newPolicy
        if !sameKeys { verifier.replaceKeySet(newPolicy.keySet) }
        memo.removeAll(keepingCapacity: true)
    }

    /// Runs the policy step of `route` for the request `head` over `bytes`.
    /// `peer` is the connection's peer (nil if unknown), `now` the loop's monotonic time.
    ///
    /// A request whose credentials are refused is unauthenticated traffic too: it is charged to
    /// its client address under the `anonymous` tier (when one is defined) and answered 429 once
    /// that is spent, so keys and tokens cannot be guessed, nor public-key verifications forced,
    /// at line rate.
    func evaluate(_ head: HTTPRequestHead, bytes: UnsafeRawBufferPointer, route: RoutePolicy, peer: IPAddress?,
                  now: UInt64) -> PolicyOutcome {
        let outcome = authenticateAndLimit(head, bytes: bytes, route: route, peer: peer, now: now)
        guard case .unauthorized = outcome, let tier = policy.anonymousTier else { return outcome }
        // The limit buffers are still empty: authentication failed before `limit` ran.
        batch.removeAll()
        writeAddressBytes(client(peer: peer, head: head, bytes: bytes))
        tier.append(key: PolicyKeys.builder.key(scope: PolicyKeys.addressScope, identity: addressBytes),
                    to: &batch, policy: &limitPolicyValue)
        guard case .refused(let seconds) = runtime.rateLimits.decide(&batch, now: RateLimitClock.now(loopNanoseconds: now)) else {
            limitPolicyValue.removeAll(keepingCapacity: true)
            return .unauthorized
        }
        RateLimitHeaderValue.appendRateLimit(of: batch, to: &limitValue)
        retryAfterValue.removeAll(keepingCapacity: true)
        RateLimitHeaderValue.appendRetryAfter(seconds: seconds, to: &retryAfterValue)
        limitDecision = .limited
        tierName = CompiledPolicy.anonymousTierName
        return .limited
    }

    func authenticateAndLimit(_ head: HTTPRequestHead, bytes: UnsafeRawBufferPointer, route: RoutePolicy,
                              peer: IPAddress?, now: UInt64) -> PolicyOutcome {
        fieldLines.removeAll(keepingCapacity: true)
        limitPolicyValue.removeAll(keepingCapacity: true)
        limitValue.removeAll(keepingCapacity: true)
        identity = nil
        refusal = nil
        limitDecision = nil
        tierName = nil

        var verified: VerifiedToken? = nil
        switch route.auth {
        case .none:
            break
        case .jwt:
            guard let token = authenticateJWT(head, bytes, authorizationIndex(head)) else { return .unauthorized }
            verified = token
        case .apiKey:
            guard authenticateAPIKey(head, bytes, route: route, apiKeyIndex(head, bytes, route: route), alone: true) else {
                return .unauthorized
            }
        case .jwtOrAPIKey:
            // Bearer credentials decide when present; otherwise the API key does (an
            // `Authorization: Basic ...` meant for the upstream does not hide a valid key).
            let authorization = authorizationIndex(head)
            if let authorization,
               BearerCredentials.hasScheme(in: UnsafeRawBufferPointer(rebasing: bytes[head.fields[authorization.index].valueRange])) {
                guard let token = authenticateJWT(head, bytes, authorization) else { return .unauthorized }
                verified = token
            } else if let apiKey = apiKeyIndex(head, bytes, route: route) {
                guard authenticateAPIKey(head, bytes, route: route, apiKey, alone: false) else { return .unauthorized }
            } else {
                refusal = AuthRefusal(reason: "missing", message: "missing credentials",
                                      challenges: [BearerChallenge.missingToken(), apiKeyChallenge(route)])
                return .unauthorized
            }
        }
        if let verified, identity == nil {
            // A token without `sub` authenticates but names nobody: limited by address, default tier.
            if verified.subject != nil, !resolve(verified) { return .unauthorized }
        }
        if let identity {
            fieldLines.append(contentsOf: identity.fieldLines)
        }
        if let verified, !route.claimFields.isEmpty {
            for field in route.claimFields {
                guard let value = verified.headerValue(forClaim: field.claim) else { continue }
                fieldLines.append(contentsOf: field.header)
                fieldLines.append(0x3A)
                fieldLines.append(0x20)
                fieldLines.append(contentsOf: value.utf8)
                fieldLines.append(0x0D)
                fieldLines.append(0x0A)
            }
        }
        return limit(head, bytes, route: route, peer: peer, authenticated: verified != nil, now: now)
    }

    // MARK: Authentication

    /// The `Authorization` field's index; `duplicated` when there is more than one (the upstream
    /// might read the one we did not verify, so such a request is refused).
    func authorizationIndex(_ head: HTTPRequestHead) -> (index: Int, duplicated: Bool)? {
        let known = head.knownFields
        var found: Int? = nil
        for index in 0..<known.count where known[index] == .authorization {
            if found != nil { return (found ?? index, true) }
            found = index
        }
        return found.map { ($0, false) }
    }

    /// Verifies the Bearer token in the `Authorization` field `found` (`authorizationIndex`); on
    /// success `identity` may be set (from the memo/consumers).
    func authenticateJWT(_ head: HTTPRequestHead, _ bytes: UnsafeRawBufferPointer,
                         _ found: (index: Int, duplicated: Bool)?) -> VerifiedToken? {
        guard let (index, duplicated) = found else {
            refusal = AuthRefusal(reason: "missing", message: "missing bearer token",
                                  challenges: [BearerChallenge.missingToken()])
            return nil
        }
        if duplicated {
            refusal = AuthRefusal(reason: "malformed", message: "more than one Authorization field",
                                  challenges: [#"Bearer error="invalid_request", error_description="more than one Authorization field""#])
            return nil
        }
        let value = UnsafeRawBufferPointer(rebasing: bytes[head.fields[index].valueRange])
        guard let token = BearerCredentials.token(in: value) else {
            refusal = AuthRefusal(reason: "missing", message: "missing bearer token",
                                  challenges: [BearerChallenge.missingToken()])
            return nil
        }
        do {
            let verified = try verifier.verify(token, now: Double(MonotonicClock.wallSeconds()))
            return verified
        } catch {
            refusal = AuthRefusal(reason: error.reason, message: "invalid token",
                                  challenges: [BearerChallenge.invalidToken(error)])
            return nil
        }
    }

    /// The identity of a verified token with a subject, memoized per token instance.
    func resolve(_ verified: VerifiedToken) -> Bool {
        let id = ObjectIdentifier(verified)
        if let hit = memo[id], hit.token === verified {
            identity = hit.identity
            return true
        }
        guard let subject = verified.subject else { return true }
        let resolved: PolicyIdentity
        if let consumer = policy.consumers[Array(subject.utf8)] {
            resolved = consumer
        } else {
            guard PolicyIdentity.isFieldSafe(subject) else {
                refusal = AuthRefusal(reason: "malformed", message: "invalid token",
                                      challenges: [#"Bearer error="invalid_token", error_description="sub is not a valid header value""#])
                return false
            }
            resolved = policy.subjectIdentity(subject)
        }
        if memo.count >= Self.memoCapacity { memo.removeAll(keepingCapacity: true) }
        memo[id] = (verified, resolved)
        identity = resolved
        return true
    }

    /// The index of the route's API key field; `duplicated` when it appears more than once.
    func apiKeyIndex(_ head: HTTPRequestHead, _ bytes: UnsafeRawBufferPointer,
                     route: RoutePolicy) -> (index: Int, duplicated: Bool)? {
        let name = route.apiKeyHeader
        let fields = head.fields
        var found: Int? = nil
        for index in 0..<fields.count where fields[index].nameRange.count == name.count {
            let range = fields[index].nameRange
            var offset = 0
            while offset < name.count, bytes[range.lowerBound + offset] | 0x20 == name[offset] | 0x20 { offset += 1 }
            guard offset == name.count else { continue }
            if let found { return (found, true) }
            found = index
        }
        return found.map { ($0, false) }
    }

    func apiKeyChallenge(_ route: RoutePolicy) -> String {
        "ApiKey header=\"\(String(decoding: route.apiKeyHeader, as: UTF8.self))\""
    }

    /// Looks the key in the route's API key field `found` (`apiKeyIndex`) up by its SHA-256; on
    /// success sets `identity`.
    func authenticateAPIKey(_ head: HTTPRequestHead, _ bytes: UnsafeRawBufferPointer, route: RoutePolicy,
                            _ found: (index: Int, duplicated: Bool)?, alone: Bool) -> Bool {
        guard let (index, duplicated) = found else {
            refusal = AuthRefusal(reason: "missing", message: "missing API key", challenges: [apiKeyChallenge(route)])
            return false
        }
        if duplicated {
            refusal = AuthRefusal(reason: "malformed", message: "more than one API key field",
                                  challenges: [apiKeyChallenge(route)])
            return false
        }
        let digest = APIKeyDigest(hashing: UnsafeRawBufferPointer(rebasing: bytes[head.fields[index].valueRange]))
        guard let consumer = policy.apiKeys[digest] else {
            refusal = AuthRefusal(reason: "unknown_api_key", message: "invalid API key",
                                  challenges: alone ? [apiKeyChallenge(route)]
                                      : [BearerChallenge.missingToken(), apiKeyChallenge(route)])
            return false
        }
        identity = consumer
        return true
    }

    // MARK: Rate limiting

    func limit(_ head: HTTPRequestHead, _ bytes: UnsafeRawBufferPointer, route: RoutePolicy, peer: IPAddress?,
               authenticated: Bool, now: UInt64) -> PolicyOutcome {
        batch.removeAll()
        if let identity {
            tierName = identity.tierName
            if !route.overrideTier, let tier = identity.tier {
                tier.append(key: identity.userKey, to: &batch, policy: &limitPolicyValue)
            }
            if let org = identity.org, let key = identity.orgKey { org.append(key: key, to: &batch, policy: &limitPolicyValue) }
            if let limits = route.limits {
                limits.append(key: PolicyKeys.builder.key(scope: route.scope, identity: identity.identityBytes),
                              to: &batch, policy: &limitPolicyValue)
            }
        } else {
            let tier = authenticated ? policy.defaultTier : policy.anonymousTier
            guard tier != nil || route.limits != nil else { return .proceed }
            let address = client(peer: peer, head: head, bytes: bytes)
            writeAddressBytes(address)
            if tier != nil { tierName = authenticated ? CompiledPolicy.defaultTierName : CompiledPolicy.anonymousTierName }
            if !route.overrideTier, let tier {
                // Tokens without `sub` (default tier) and anonymous traffic keep separate buckets.
                let scope = authenticated ? PolicyKeys.subjectlessScope : PolicyKeys.addressScope
                tier.append(key: PolicyKeys.builder.key(scope: scope, identity: addressBytes),
                            to: &batch, policy: &limitPolicyValue)
            }
            if let limits = route.limits {
                limits.append(key: PolicyKeys.builder.key(scope: route.scope, identity: addressBytes),
                              to: &batch, policy: &limitPolicyValue)
            }
        }
        guard batch.count > 0 else { return .proceed }
        let decision = runtime.rateLimits.decide(&batch, now: RateLimitClock.now(loopNanoseconds: now),
                                                 maxDelayNanoseconds: route.maxDelayNanoseconds)
        RateLimitHeaderValue.appendRateLimit(of: batch, to: &limitValue)
        switch decision {
        case .allowed:
            limitDecision = .allowed
            return .proceed
        case .delayed(let nanoseconds):
            limitDecision = .delayed
            return .delay(nanoseconds: nanoseconds)
        case .refused(let seconds):
            limitDecision = .limited
            retryAfterValue.removeAll(keepingCapacity: true)
            RateLimitHeaderValue.appendRetryAfter(seconds: seconds, to: &retryAfterValue)
            return .limited
        }
    }

    /// The client behind the trusted proxies, found once per request and kept in `clientAddress`
    /// (the access log reuses it).
    func client(peer: IPAddress?, head: HTTPRequestHead, bytes: UnsafeRawBufferPointer) -> IPAddress {
        if let clientAddress { return clientAddress }
        let address = runtime.trustedProxies.client(peer: peer ?? IPAddress(high: 0, low: 0), head: head, bytes: bytes)
        clientAddress = address
        return address
    }

    /// The address as a key: IPv4 whole, IPv6 by its /64 (every IPv6 client holds at least a /64,
    /// so keying the /128 would give it a fresh budget per address).
    func writeAddressBytes(_ address: IPAddress) {
        var high = address.high
        var low = address.isIPv4 ? address.low : 0
        for index in stride(from: 7, through: 0, by: -1) {
            addressBytes[index] = UInt8(truncatingIfNeeded: high)
            addressBytes[index + 8] = UInt8(truncatingIfNeeded: low)
            high >>= 8
            low >>= 8
        }
    }
}
