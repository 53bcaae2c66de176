import SluiceConfig
import SluicePolicy

/// One route's traffic policy, compiled: which credentials it takes, which claims it forwards,
/// and its own limits. `CompiledRoute.policy`; immutable, `Sendable`.
struct RoutePolicy: Sendable {
    struct ClaimField: Sendable {
        let claim: String
        /// The header name as configured, for the field line.
        let header: [UInt8]
    }

    let auth: RouteAuth
    /// The API key header name, lowercase (compared case-insensitively with field names).
    let apiKeyHeader: [UInt8]
    let claimFields: [ClaimField]
    /// The route's own limits (`rate_limit`), keyed by `route:<name>` and the identity.
    let limits: CompiledLimits?
    /// `rate_limit.override_tier`: the tier's limits do not apply on this route.
    let overrideTier: Bool
    /// Shape mode's longest wait, 0 in reject mode.
    let maxDelayNanoseconds: UInt64
    /// `route:<name>`, the scope of the route's keys (names, not indices, survive swaps).
    let scope: [UInt8]

    init(route: RouteConfig) throws(RateLimitRuleError) {
        auth = route.auth
        apiKeyHeader = Array(route.apiKeyHeader.lowercased().utf8)
        claimFields = route.claimsToHeaders.map { ClaimField(claim: $0.claim, header: Array($0.header.utf8)) }
        if let rateLimit = route.rateLimit {
            let compiled = try CompiledLimits(rateLimit.limits, level: .route)
            limits = compiled.isEmpty ? nil : compiled
            overrideTier = rateLimit.overrideTier && !compiled.isEmpty
            maxDelayNanoseconds = rateLimit.mode == .shape ? UInt64(rateLimit.maxDelayMilliseconds) * 1_000_000 : 0
        } else {
            limits = nil
            overrideTier = false
            maxDelayNanoseconds = 0
        }
        scope = Array("route:\(route.name)".utf8)
    }
}
