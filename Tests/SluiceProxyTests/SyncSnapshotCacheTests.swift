import Foundation
import SluiceConfig
import SluiceProxy
import SluiceTestSupport
import Testing

/// The last-known-good cache: rotation current → previous, and a corrupt newest file falling
/// back to the one before.
@Suite struct SyncSnapshotCacheTests {
    private static func snapshot(_ version: Int) -> [UInt8] {
        Array(#"{"format": 1, "version": \#(version), "upstreams": [{"name": "u", "targets": [{"url": "http://127.0.0.1:9"}]}], "routes": [{"name": "r", "path_prefix": "/", "upstream": "u"}]}"#.utf8)
    }

    @Test func storesRotatesAndFallsBackToThePrevious() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-cache")
        defer { directory.remove() }
        let cache = SnapshotCache(directory: directory.file("nested/cache"))
        let status = ProxyStatus(source: "test", workers: 1)
        let installer = SnapshotInstaller(status: status) { _ in }
        #expect(cache.loadNewest(into: installer) == nil)

        try cache.store(Self.snapshot(1))
        try cache.store(Self.snapshot(2))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cache.currentPath)) == Data(Self.snapshot(2)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cache.previousPath)) == Data(Self.snapshot(1)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory).sorted()
            == ["snapshot-current.json", "snapshot-previous.json"])
        let newest = try #require(cache.loadNewest(into: installer))
        #expect(newest.path == cache.currentPath)
        #expect(newest.snapshot.version == 2)

        // A torn or corrupt newest file: the previous one serves.
        try Data("{\"format\": 1, \"vers".utf8).write(to: URL(fileURLWithPath: cache.currentPath))
        let fallback = try #require(cache.loadNewest(into: installer))
        #expect(fallback.path == cache.previousPath)
        #expect(fallback.snapshot.version == 1)
        #expect(status.report.version == 1)
    }

    @Test func unwritableDirectoryIsATypedError() {
        let cache = SnapshotCache(directory: "/proc/sluice-cannot-write-here")
        #expect(throws: SnapshotCache.WriteError.self) { try cache.store(Self.snapshot(1)) }
    }
}
