@testable import SluiceProxy
import SluiceHTTP
import Foundation
import SluiceConfig
import Testing

/// The admin JSON documents built in process (no sockets).
@Suite struct AdminStatusJSONTests {
    @Test func rfc3339Timestamps() {
        #expect(UTCTime(secondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(UTCTime(secondsSince1970: 951_782_400).rfc3339 == "2000-02-29T00:00:00Z")
        #expect(UTCTime(secondsSince1970: 1_795_447_125).rfc3339 == "2026-11-23T15:18:45Z")
        #expect(UTCTime(secondsSince1970: 4_102_444_799).rfc3339 == "2099-12-31T23:59:59Z")
        #expect(UTCTime(secondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59Z")
    }

    @Test func statusBeforeLoadAfterRefusalAndAfterLoad() throws {
        let status = ProxyStatus(source: "file:/etc/s.json", workers: 4)
        #expect(!status.report.isReady)
        #expect(String(decoding: status.report.readyJSON, as: UTF8.self) == #"{"ready":false}"#)
        #expect(String(decoding: status.report.statusJSON, as: UTF8.self)
            == #"{"version":null,"generation":0,"source":"file:/etc/s.json","loaded_at":null,"last_error":null,"workers":4}"#)

        status.recordRefused(ConfigLoadFailure(at: 0, message: "1 configuration problem",
                                               problems: [ConfigProblem(pointer: "/routes/0/upstream", message: "unknown upstream \"x\"")]))
        #expect(String(decoding: status.report.statusJSON, as: UTF8.self)
            == #"{"version":null,"generation":0,"source":"file:/etc/s.json","loaded_at":null,"last_error":{"at":"1970-01-01T00:00:00Z","message":"1 configuration problem","problems":[{"pointer":"/routes/0/upstream","message":"unknown upstream \"x\""}]},"workers":4}"#)

        status.recordLoaded(version: 12, at: 951_782_400)
        #expect(status.report.isReady)
        #expect(String(decoding: status.report.readyJSON, as: UTF8.self) == #"{"ready":true,"version":12}"#)
        #expect(String(decoding: status.report.statusJSON, as: UTF8.self)
            == #"{"version":12,"generation":1,"source":"file:/etc/s.json","loaded_at":"2000-02-29T00:00:00Z","last_error":null,"workers":4}"#)
    }

    @Test func installerRecordsCompileFailuresAndKeepsTheVersion() throws {
        struct CompileFailure: Error, CustomStringConvertible { var description: String { "no" } }
        let status = ProxyStatus(source: "test", workers: 1)
        let installer = SnapshotInstaller(status: status) { snapshot in
            if snapshot.version == 2 { throw CompileFailure() }
        }
        try installer.install(Snapshot(version: 1), at: 10)
        #expect(throws: ConfigLoadFailure.self) { try installer.install(Snapshot(version: 2), at: 20) }
        #expect(status.report.version == 1)
        #expect(status.report.lastError == ConfigLoadFailure(at: 20, message: "cannot compile the snapshot: no"))
    }
}
