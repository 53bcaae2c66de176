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
        #expect(example.routes.count == 3)
        #expect(example.routes.contains { !$0.hosts.isEmpty })
        #expect(example.routes.contains { $0.stripPrefix })
        #expect(example.routes.contains { $0.auth == .jwt })
        #expect(example.routes[2].pathPrefix == "/assets")
        #expect(example.tiers.count == 2 && example.consumers.count == 1)
        #expect(example.jwtKeys.map(\.alg) == [.rs256, .hs256])
        #expect(example.jwtKeys[1].secret?.count == 32)
    }
}
