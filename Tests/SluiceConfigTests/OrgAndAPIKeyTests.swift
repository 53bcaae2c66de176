import Testing
import SluiceConfig

/// The `orgs` and `api_keys` collections.
@Suite struct OrgAndAPIKeyTests {
    static let hashA = "aaa0ece4c0d54ac51258963007c550ef7e8ae8948a7e7a37033f6b50cfd01e40"
    static let hashB = "c2cc026e1575459de098565e75c9dc6fc18535bf0ddce109c64a138a1ed8f8ed"

    /// A document with tier `t`, consumer `c` (in org `acme`), and the given orgs and API keys.
    static func snapshot(orgs: String = "[]", apiKeys: String = "[]") -> String {
        #"{"format":1,"tiers":[{"name":"t","requests_per_second":1}],"consumers":[{"id":"c","tier":"t","org":"acme"}],"#
            + #""orgs":\#(orgs),"api_keys":\#(apiKeys)}"#
    }

    @Test func decodesOrgsAndAPIKeys() throws {
        let json = Self.snapshot(orgs: #"[{"id":"acme","requests_per_second":0.5,"requests_per_day":100},{"id":"beta","requests_per_minute":60}]"#,
                                 apiKeys: #"[{"id":"key_1","consumer":"c","sha256":"\#(Self.hashA)"}]"#)
        let snapshot = try SnapshotDecoder.decodeAndValidate(Array(json.utf8))
        #expect(snapshot.orgs == [OrgConfig(id: "acme", limits: RateLimits(requestsPerSecond: 0.5, burst: 1, requestsPerDay: 100)),
                                  OrgConfig(id: "beta", limits: RateLimits(requestsPerMinute: 60))])
        #expect(snapshot.apiKeys.count == 1 && snapshot.apiKeys[0].id == "key_1" && snapshot.apiKeys[0].consumer == "c")
        #expect(snapshot.apiKeys[0].sha256.prefix(3) == [0xAA, 0xA0, 0xEC] && snapshot.apiKeys[0].sha256.count == 32)
        let canonical = String(decoding: snapshot.canonicalJSON(), as: UTF8.self)
        #expect(canonical.contains(#""orgs":[{"id":"acme","requests_per_second":0.5,"burst":1,"requests_per_day":100},{"id":"beta","requests_per_minute":60}],"#))
        #expect(canonical.contains(#""api_keys":[{"id":"key_1","consumer":"c","sha256":"\#(Self.hashA)"}],"#))
        #expect(try SnapshotDecoder.decodeAndValidate(snapshot.canonicalJSON()) == snapshot)
        #expect(!"\(snapshot.apiKeys[0])".contains("aaa0"))
    }

    @Test func aConsumerOrgNeedNotNameAnOrg() throws {
        let snapshot = try SnapshotDecoder.decodeAndValidate(Array(Self.snapshot().utf8))
        #expect(snapshot.consumers[0].org == "acme" && snapshot.orgs.isEmpty)
    }

    @Test func orgProblems() {
        #expect(problems(Self.snapshot(orgs: #"[{"id":"acme"},{"id":"","burst":3,"requests_per_day":0},{"id":"x","rps":1}]"#)) == [
            problem("/orgs/0", "an org needs at least one limit: requests_per_second, requests_per_minute or requests_per_day"),
            problem("/orgs/1/id", "id must not be empty"),
            problem("/orgs/1/burst", "burst needs requests_per_second"),
            problem("/orgs/1/requests_per_day", "requests_per_day must be ≥ 1"),
            problem("/orgs/2/rps", "unknown field"),
        ])
        #expect(problems(Self.snapshot(orgs: #"[{"id":"a","requests_per_minute":1},{"id":"a","requests_per_second":2000000}]"#)) == [
            problem("/orgs/1/requests_per_second", "requests_per_second must be > 0 and ≤ 1000000"),
            problem("/orgs/1/id", #"duplicate org id "a" (also at /orgs/0)"#),
        ])
        #expect(problems(Self.snapshot(orgs: #"{}"#)) == [problem("/orgs", "expected array, found object")])
    }

    @Test func apiKeyProblems() {
        let upper = Self.hashA.uppercased()
        #expect(problems(Self.snapshot(apiKeys: #"""
            [{"id":"k1","consumer":"c","sha256":"\#(upper)"},{"id":"k2","consumer":"c","sha256":"abc"},
             {"id":"k3","consumer":"c"},{"consumer":"c","sha256":"\#(Self.hashA)","key":"sk_x"}]
            """#)) == [
            problem("/api_keys/0/sha256", #"sha256 must be 64 lowercase hex digits (printf %s "$KEY" | sha256sum)"#),
            problem("/api_keys/1/sha256", #"sha256 must be 64 lowercase hex digits (printf %s "$KEY" | sha256sum)"#),
            problem("/api_keys/2/sha256", "required field is missing"),
            problem("/api_keys/3/key", "unknown field"),
            problem("/api_keys/3/id", "required field is missing"),
        ])
        #expect(problems(Self.snapshot(apiKeys: #"""
            [{"id":"k1","consumer":"c","sha256":"\#(Self.hashA)"},{"id":"k1","consumer":"nobody","sha256":"\#(Self.hashA)"},
             {"id":"","consumer":"c","sha256":"\#(Self.hashB)"}]
            """#)) == [
            problem("/api_keys/2/id", "id must not be empty"),
            problem("/api_keys/1/id", #"duplicate API key id "k1" (also at /api_keys/0)"#),
            problem("/api_keys/1/consumer", #"unknown consumer "nobody""#),
            problem("/api_keys/1/sha256", "duplicate API key hash (also at /api_keys/0)"),
        ])
        #expect(APIKeyConfig(id: "k", consumer: "c", sha256: [1, 2]).problems(at: "")
            == [problem("/sha256", "sha256 must be 32 bytes, got 2")])
    }

    @Test func unknownConsumersAreNotJudgedWhenAConsumerFailedToDecode() {
        let json = #"{"format":1,"tiers":[{"name":"t","requests_per_second":1}],"consumers":[{"id":"c"}],"#
            + #""api_keys":[{"id":"k","consumer":"d","sha256":"\#(Self.hashA)"}]}"#
        #expect(problems(json) == [problem("/consumers/0/tier", "required field is missing")])
    }

    @Test func diffCoversOrgsAndAPIKeys() throws {
        let old = try SnapshotDecoder.decode(Array(Self.snapshot(
            orgs: #"[{"id":"acme","requests_per_minute":60}]"#,
            apiKeys: #"[{"id":"k1","consumer":"c","sha256":"\#(Self.hashA)"}]"#).utf8))
        var new = old
        new.orgs[0].limits.requestsPerMinute = 120
        new.orgs.append(OrgConfig(id: "beta", limits: RateLimits(requestsPerDay: 1)))
        new.apiKeys = [APIKeyConfig(id: "k2", consumer: "c", sha256: [UInt8](repeating: 1, count: 32))]
        let diff = SnapshotDiff(from: old, to: new)
        #expect(diff.orgs == EntityDiff(identityKey: "id", added: ["beta"], removed: [],
                                         changed: [.init(identity: "acme", fields: ["/requests_per_minute"])]))
        #expect(diff.apiKeys == EntityDiff(identityKey: "id", added: ["k2"], removed: ["k1"], changed: []))
        #expect(!diff.isEmpty)
        var rotated = old
        rotated.apiKeys[0].sha256 = [UInt8](repeating: 2, count: 32)
        #expect(SnapshotDiff(from: old, to: rotated).apiKeys.changed == [.init(identity: "k1", fields: ["/sha256"])])
    }

    @Test func tiersShareTheLimitRules() {
        #expect(TierConfig(name: "t", requestsPerSecond: 2, requestsPerDay: 9).limits
            == RateLimits(requestsPerSecond: 2, burst: 2, requestsPerDay: 9))
        #expect(TierConfig(name: "t", requestsPerSecond: 1, burst: 0, requestsPerMinute: 0).problems(at: "") == [
            problem("/burst", "burst must be 1…1000000000"),
            problem("/requests_per_minute", "requests_per_minute must be ≥ 1"),
        ])
        #expect(problems(document(tiers: #"[{"name":"t","burst":2}]"#)) == [problem("/tiers/0/requests_per_second", "required field is missing")])
    }
}
