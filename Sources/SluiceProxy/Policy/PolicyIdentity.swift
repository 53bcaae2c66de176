import SluicePolicy

/// Who a request is, as far as the policies care: the consumer (or JWT subject) with its tier and
/// org limits, their rate-limit keys, and the identity field lines sent upstream. Made once per
/// consumer when a config is compiled, or once per verified token for a subject without a
/// consumer record (then memoized by the worker), never per request.
///
/// Immutable, `Sendable`.
final class PolicyIdentity: Sendable {
    /// `X-Consumer-Id` (consumer id or JWT `sub`).
    let consumerID: String
    /// The tier's name, if the identity has one (`X-Consumer-Tier`).
    let tierName: String?
    let tier: CompiledLimits?
    let org: CompiledLimits?
    /// The bytes route-scoped keys are made from (`consumerID`'s UTF-8).
    let identityBytes: [UInt8]
    /// `user` scope key of `consumerID` (tier limits), and the `org` scope key of its org.
    let userKey: RateLimitKey
    let orgKey: RateLimitKey?
    /// `X-Consumer-Id: …\r\nX-Consumer-Tier: …\r\n`, ready to append to the upstream head.
    let fieldLines: [UInt8]

    init(consumerID: String, tierName: String?, tier: CompiledLimits?, orgName: String?, org: CompiledLimits?) {
        self.consumerID = consumerID
        self.tierName = tierName
        self.tier = tier
        self.org = org
        identityBytes = Array(consumerID.utf8)
        userKey = PolicyKeys.builder.key(scope: PolicyKeys.userScope, identity: identityBytes)
        orgKey = org == nil ? nil : orgName.map { PolicyKeys.builder.key(scope: PolicyKeys.orgScope, identity: Array($0.utf8)) }
        var lines = Array("X-Consumer-Id: ".utf8)
        lines.append(contentsOf: identityBytes)
        lines.append(contentsOf: Array("\r\n".utf8))
        if let tierName {
            lines.append(contentsOf: Array("X-Consumer-Tier: ".utf8))
            lines.append(contentsOf: Array(tierName.utf8))
            lines.append(contentsOf: Array("\r\n".utf8))
        }
        fieldLines = lines
    }

    /// Whether `text` can be a field value as it is: not empty, no control characters, no
    /// leading or trailing space or tab (an upstream's parser strips those, so `" victim "` would
    /// arrive as `victim`). A JWT `sub` that fails is refused rather than sent upstream altered.
    static func isFieldSafe(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last,
              first != 0x20, first != 0x09, last != 0x20, last != 0x09 else { return false }
        return !bytes.contains { $0 < 0x20 || $0 == 0x7F }
    }
}

/// The process-wide rate-limit key builder and the scopes of the keys (one seed per process, so
/// keys made by any config version name the same buckets: buckets survive swaps).
enum PolicyKeys {
    static let builder = RateLimitKeyBuilder()
    static let userScope = Array("user".utf8)
    static let orgScope = Array("org".utf8)
    static let addressScope = Array("ip".utf8)
    /// Verified tokens without `sub`, by client address (the `default` tier).
    static let subjectlessScope = Array("ip-default".utf8)
}
