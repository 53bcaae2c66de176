import Dispatch
import Synchronization
import Testing
import SluiceConfig
@testable import SluiceControl

@Suite struct DomainConcurrencyTests {
    /// Two stores on one file (as two processes would be) writing at once: BEGIN IMMEDIATE and the
    /// busy timeout serialize them; nothing is lost and no call fails with SQLITE_BUSY.
    @Test func twoStoresOnOneFileLoseNoWrites() throws {
        let fixture = try StoreTestFixture()
        let second = try ControlPlaneStore(path: fixture.path)
        defer { second.close() }
        let stores = [fixture.store, second]
        let failures = Mutex<[String]>([])
        let perWriter = 25
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            let store = stores[writer % 2]
            for index in 0..<perWriter {
                let body = JSONValue.object([.init("name", .string("t\(writer)-\(index)")),
                                             .init("requests_per_second", .integer(1))])
                do {
                    _ = try store.create(.tiers, json: body, actor: "writer\(writer)")
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try fixture.store.list(.tiers, limit: 1, offset: 0).total == 4 * perWriter)
        #expect(try second.list(.tiers, limit: 1, offset: 0).total == 4 * perWriter)
        #expect(try fixture.store.audit(limit: 1000, offset: 0).count == 4 * perWriter)
    }

    /// A write is committed when the call returns: another connection sees it at once.
    @Test func aReturnedWriteIsVisibleToAnotherConnection() throws {
        let fixture = try StoreTestFixture()
        let reader = try ControlPlaneStore(path: fixture.path)
        defer { reader.close() }
        try fixture.seed()
        _ = try fixture.store.publish(comment: "", actor: "t")
        #expect(try reader.latestVersion() == 1)
        #expect(try reader.get(.consumers, "acme") != nil)
    }

    /// The If-Match race across two stores on one file: exactly one replace wins.
    @Test func ifMatchRaceAcrossTwoStores() throws {
        let fixture = try StoreTestFixture()
        let second = try ControlPlaneStore(path: fixture.path)
        defer { second.close() }
        let created = try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 1}"#)
        let stores = [fixture.store, second]
        let wins = Mutex(0)
        let preconditionFailures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 6) { writer in
            let body = JSONValue.object([.init("name", .string("gold")), .init("requests_per_second", .integer(Int64(writer + 2)))])
            do {
                _ = try stores[writer % 2].replace(.tiers, "gold", json: body, ifMatch: created.etag, actor: "w\(writer)")
                wins.withLock { $0 += 1 }
            } catch StoreError.preconditionFailed {
                preconditionFailures.withLock { $0 += 1 }
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(wins.withLock { $0 } == 1)
        #expect(preconditionFailures.withLock { $0 } == 5)
    }
}
