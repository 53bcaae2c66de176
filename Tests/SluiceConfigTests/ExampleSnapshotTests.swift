import Testing
import Foundation
import SluiceConfig

@Suite struct ExampleSnapshotTests {
    /// `configs/snapshot.example.json`, decoded and validated.
    static func example() throws -> Snapshot {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("configs/snapshot.example.json")
        return try SnapshotDecoder.decodeAndValidate(Array(try Data(contentsOf: url)))
    }

    @Test func theExampleIsValidAndCoversEveryKind() throws {
        let example = try Self.example()
        #expect(example.validate() == [])
        #expect(example.upstreams.map(\.name) == ["users", "static"])
        #expect(example.upstreams[0].targets.map(\.weight) == [3, 1])
        #expect(example.upstreams[0].targets[0].address == TargetAddress(host: "127.0.0.1", kind: .ipv4, port: 8081))
        #expect(example.upstreams[1].targets[0].address == TargetAddress(host: "::1", kind: .ipv6, port: 8090))
        #expect(example.routes.count == 4)
        #expect(example.routes.contains { !$0.hosts.isEmpty })
        #expect(example.routes.contains { $0.stripPrefix })
        #expect(example.routes.contains { $0.auth == .jwt })
        #expect(example.routes[2].pathPrefix == "/assets")
        #expect(example.routes.contains { $0.auth == .jwtOrAPIKey && $0.apiKeyHeader == "X-Reports-Key" })
        #expect(example.routes[0].claimsToHeaders == [ClaimHeader(claim: "email", header: "X-User-Email")])
        #expect(example.routes[0].rateLimit == RouteRateLimitConfig(limits: RateLimits(requestsPerMinute: 600)))
        #expect(example.routes[3].rateLimit == RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 2, burst: 4),
                                                                    overrideTier: true, mode: .shape, maxDelayMilliseconds: 500))
        #expect(example.tiers.map(\.name) == ["anonymous", "default", "free", "premium"] && example.consumers.count == 1)
        #expect(example.orgs == [OrgConfig(id: "acme", limits: RateLimits(requestsPerSecond: 100, burst: 200,
                                                                           requestsPerMinute: 3000, requestsPerDay: 1_000_000))])
        #expect(example.apiKeys.map(\.consumer) == ["user-42"] && example.apiKeys[0].sha256.count == 32)
        #expect(example.jwtKeys.map(\.alg) == [.rs256, .hs256, .es256])
        #expect(example.jwtKeys[0].audiences == ["sluice", "web"] && example.jwtKeys[0].leewaySeconds == 60)
        #expect(example.jwtKeys[1].secret?.count == 32 && example.jwtKeys[1].hmacSecret?.count == 32)
        #expect(example.jwtKeys[1].leewaySeconds == 30 && example.jwtKeys[1].audiences.isEmpty)
        guard case .ec(let curve, let x, let y)? = example.jwtKeys[2].jwkMaterial else {
            Issue.record("the ES256 key's jwk gives no EC material")
            return
        }
        #expect(curve == "P-256" && x.count == 32 && y.count == 32)
    }

    @Test func theDemoSnapshotIsValid() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("configs/demo.snapshot.json")
        let demo = try SnapshotDecoder.decodeAndValidate(Array(try Data(contentsOf: url)))
        #expect(demo.routes.map(\.name) == ["demo"])
    }
}
