import Foundation
import SluiceTestSupport
import Testing

/// The admin listener of a real `sluice-proxy` child: endpoints, JSON shapes, status codes.
@Suite struct AdminListenerTests {
    @Test func healthReadyAndStatusShapes() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 7))
        let proxy = try RunningProxy(configPath: file.path)

        let health = try proxy.admin("/health")
        #expect(health.status == 200)
        #expect(health.header("Content-Type") == "application/json")
        #expect(try jsonObject(health.body) as NSDictionary == ["status": "ok"] as NSDictionary)

        let ready = try proxy.admin("/ready")
        #expect(ready.status == 200)
        #expect(try jsonObject(ready.body) as NSDictionary == ["ready": true, "version": 7] as NSDictionary)

        let status = try proxy.adminJSON("/status")
        #expect(Set(status.keys) == ["version", "generation", "source", "loaded_at", "last_error", "workers"])
        #expect(status["version"] as? Int == 7)
        #expect(status["generation"] as? Int == 1)
        #expect(status["source"] as? String == "file:" + file.path)
        #expect(isRFC3339UTC(status["loaded_at"]))
        #expect(status["last_error"] is NSNull)
        #expect(status["workers"] as? Int == 1)
        #expect(proxy.stop().status == 0)
    }

    @Test func headUnknownPathsAndOtherMethods() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1))
        let proxy = try RunningProxy(configPath: file.path)

        let head = try proxy.admin("/status", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 0)

        let withQuery = try proxy.admin("/health?verbose=1")
        #expect(withQuery.status == 200)

        let unknown = try proxy.admin("/nothing")
        #expect(unknown.status == 404)
        #expect(try jsonObject(unknown.body)["error"] as? String == "not found")
        #expect(try proxy.admin("/healthz").status == 404)

        for method in ["POST", "DELETE", "PUT"] {
            let response = try proxy.admin("/ready", method: method)
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
            #expect(try jsonObject(response.body)["error"] as? String == "method not allowed")
        }
        #expect(proxy.stop().status == 0)
    }
}
