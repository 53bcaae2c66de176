import SluiceConfig
import SluicePolicy

/// The traffic policies of one config version, compiled off the hot path: the JWT key set,
/// every consumer's `PolicyIdentity`, API key digests, and the tiers the conventions name
/// (`anonymous` for unauthenticated traffic, `default` for a JWT subject without a consumer).
///
/// Immutable, `Sendable`; lookups are dictionary reads (O(1) expected).
final class CompiledPolicy: Sendable {
    static let anonymousTierName = "anonymous"
    static let defaultTierName = "default"

    let keySet: JWTKeySet
    /// The compact JSON of the snapshot's `jwt_keys`: two versions with equal bytes verify the
    /// same tokens, so a worker keeps its verified-token cache across such a swap.
    let keyFingerprint: [UInt8]
    /// By the consumer id's UTF-8 bytes: a JWT `sub` names a consumer only byte for byte (Swift
    /// `String` equality would let a canonically equivalent spelling such as `\u{212A}arl`
    /// become the consumer `Karl`).
    let consumers: [[UInt8]: PolicyIdentity]
    let apiKeys: [APIKeyDigest: PolicyIdentity]
    let anonymousTier: CompiledLimits?
    let defaultTier: CompiledLimits?
    /// Every `claims_to_headers` name of the config (comparable form, unique): client copies are
    /// stripped on every route, not only where the claim is forwarded, since the upstream behind
    /// any route may have learnt to trust them.
    let strippedClaimNames: [[UInt8]]

    /// An empty policy: no keys, no consumers, no limits.
    convenience init() {
        self.init(keySet: JWTKeySet(keys: []), keyFingerprint: [], consumers: [:], apiKeys: [:], anonymousTier: nil,
                  defaultTier: nil, strippedClaimNames: [])
    }

    init(keySet: JWTKeySet, keyFingerprint: [UInt8], consumers: [[UInt8]: PolicyIdentity], apiKeys: [APIKeyDigest: PolicyIdentity],
         anonymousTier: CompiledLimits?, defaultTier: CompiledLimits?,
         strippedClaimNames: [[UInt8]]) {
        self.keySet = keySet
        self.keyFingerprint = keyFingerprint
        self.consumers = consumers
        self.apiKeys = apiKeys
        self.anonymousTier = anonymousTier
        self.defaultTier = defaultTier
        self.strippedClaimNames = strippedClaimNames
    }

    /// Compiles `snapshot`'s keys, tiers, orgs, consumers and API keys (already validated: every
    /// reference resolves). Problems are appended with their JSON pointers.
    static func compile(_ snapshot: Snapshot, problems: inout [ConfigProblem]) -> CompiledPolicy {
        var keys: [JWTKey] = []
        for (index, key) in snapshot.jwtKeys.enumerated() {
            do {
                let material: JWTKeyMaterial
                if let secret = key.hmacSecret {
                    material = try .secret(secret, algorithm: key.alg)
                } else if let pem = key.publicKeyPEM {
                    material = try .publicKeyPEM(pem, algorithm: key.alg)
                } else if let jwk = key.jwk {
                    material = try .jwk(jwk, algorithm: key.alg, kid: key.kid)
                } else {
                    problems.append(ConfigProblem(pointer: "/jwt_keys/\(index)", message: "no key material"))
                    continue
                }
                keys.append(JWTKey(kid: key.kid, material: material, issuer: key.issuer, audiences: key.audiences,
                                   leewaySeconds: key.leewaySeconds))
            } catch {
                let field = key.publicKeyPEM != nil ? "public_key_pem" : key.jwk != nil ? "jwk" : "secret"
                problems.append(ConfigProblem(pointer: "/jwt_keys/\(index)/\(field)", message: error.description))
            }
        }

        var tiers: [String: CompiledLimits] = [:]
        for (index, tier) in snapshot.tiers.enumerated() {
            do {
                tiers[tier.name] = try CompiledLimits(tier.limits, level: .tier)
            } catch {
                problems.append(ConfigProblem(pointer: "/tiers/\(index)", message: describe(error)))
            }
        }
        var orgs: [String: CompiledLimits] = [:]
        for (index, org) in snapshot.orgs.enumerated() {
            do {
                orgs[org.id] = try CompiledLimits(org.limits, level: .org)
            } catch {
                problems.append(ConfigProblem(pointer: "/orgs/\(index)", message: describe(error)))
            }
        }
        var consumers: [[UInt8]: PolicyIdentity] = [:]
        for consumer in snapshot.consumers {
            consumers[Array(consumer.id.utf8)] = PolicyIdentity(consumerID: consumer.id, tierName: consumer.tier,
                                                    tier: tiers[consumer.tier], orgName: consumer.org,
                                                    org: consumer.org.flatMap { orgs[$0] })
        }
        var apiKeys: [APIKeyDigest: PolicyIdentity] = [:]
        for (index, key) in snapshot.apiKeys.enumerated() {
            guard let consumer = consumers[Array(key.consumer.utf8)] else {
                problems.append(ConfigProblem(pointer: "/api_keys/\(index)/consumer", message: "unknown consumer \(key.consumer)"))
                continue
            }
            apiKeys[APIKeyDigest(bytes: key.sha256)] = consumer
        }
        var claimNames: [[UInt8]] = []
        for route in snapshot.routes {
            for claim in route.claimsToHeaders {
                let name = Array(HeaderNameSyntax.comparableName(claim.header).utf8)
                if !claimNames.contains(name) { claimNames.append(name) }
            }
        }
        let fingerprint = JSONWriter.compact(.array(snapshot.jwtKeys.map(\.jsonValue)))
        return CompiledPolicy(keySet: JWTKeySet(keys: keys), keyFingerprint: fingerprint, consumers: consumers, apiKeys: apiKeys,
                              anonymousTier: tiers[anonymousTierName], defaultTier: tiers[defaultTierName],
                              strippedClaimNames: claimNames)
    }

    static func describe(_ error: RateLimitRuleError) -> String {
        switch error {
        case .requestsPerSecondOutOfRange(let value): "requests_per_second \(value) is out of range"
        case .burstOutOfRange(let value): "burst \(value) is out of range"
        case .windowLimitOutOfRange(let value): "window limit \(value) is out of range"
        case .windowSecondsOutOfRange(let value): "window of \(value) seconds is out of range"
        }
    }

    /// The identity of a JWT subject that has no consumer record: the `default` tier, if any.
    func subjectIdentity(_ subject: String) -> PolicyIdentity {
        PolicyIdentity(consumerID: subject, tierName: defaultTier == nil ? nil : CompiledPolicy.defaultTierName,
                       tier: defaultTier, orgName: nil, org: nil)
    }
}
